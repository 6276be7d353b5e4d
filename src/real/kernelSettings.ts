/**
 * The sysctls a real run writes in its namespace: the scenario's `sysctls`, and the profile
 * fields a sysctl decides written as that sysctl (model/sysctlProfile.ts), so that the kernel
 * runs the settings the model runs. Pure; realPreflight has refused whatever has no sysctl.
 */
import { resolveProfile } from '../model/profile.js';
import { overridesFromSysctls, sysctlForField } from '../model/sysctlProfile.js';
import type { ProfileOverrides, Scenario } from '../scenario/types.js';

/** One sysctl to write, and where the scenario says it. */
export interface KernelSetting {
  readonly sysctl: string;
  readonly value: number;
  /** `sysctls`, or the profile field it comes from (`profile.finTimeout`). */
  readonly source: string;
}

/** The sysctls that give the kernel `scenario`'s settings. */
export function kernelSettings(scenario: Scenario): KernelSetting[] {
  const settings: KernelSetting[] = Object.entries(scenario.sysctls).map(([sysctl, value]) => ({ sysctl, value, source: 'sysctls' }));
  const resolved = resolveProfile('linux', { ...overridesFromSysctls(scenario.sysctls), ...scenario.profileOverrides });
  for (const [field, written] of Object.entries(scenario.profileOverrides) as [keyof ProfileOverrides, unknown][]) {
    const row = written === undefined ? undefined : sysctlForField(field);
    if (row === undefined || settings.some((s) => s.sysctl === row.sysctl)) continue;
    const value = row.fromProfile(resolved);
    if (typeof value === 'number') settings.push({ sysctl: row.sysctl, value, source: `profile.${field}` });
  }
  return settings;
}

/** `tcp_fin_timeout=2 (profile.finTimeout)`, for notes. */
export function settingText(s: KernelSetting): string {
  return `${s.sysctl.replace(/^net\.ipv4\./, '')}=${s.value}${s.source === 'sysctls' ? '' : ` (${s.source})`}`;
}
