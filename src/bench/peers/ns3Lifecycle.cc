// The benchmark's peer in ns-3 (npm run bench -- --peers): the bench-lifecycle workload over
// ns-3's own TCP. One server node listens on port 8888; each of K client nodes hangs on its own
// point-to-point link to the server (1 Gbps, 50 us) and opens N/K connections, their starts
// spread evenly over one virtual second. Each connection sends one request line, reads one
// reply, and the client closes first (FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT); the server closes on
// EOF (CLOSE_WAIT, LAST_ACK). MSL is 30 s, so TIME_WAIT lasts 60 s as on Linux. The run ends
// when the agenda is empty; every socket but the listener must then have reached CLOSED.
//
//   ns3Lifecycle CONNECTIONS CLIENT_NODES   -> one JSON line on stdout
//
// Built by src/bench/ns3Peer.ts with g++ against Debian's libns3-dev (3.37).
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/resource.h>

using namespace ns3;

static const uint16_t PORT = 8888;
static const char REQUEST[] = "GET / HTTP/1.0\n";
static const char REPLY[] = "HTTP/1.0 200 OK\n";

/** Sockets that reached CLOSED after being used (clients after TIME_WAIT, servers after LAST_ACK). */
static uint64_t g_closed = 0;
static uint64_t g_replies = 0;
static uint64_t g_failures = 0;

static void OnState(TcpSocket::TcpStates_t from, TcpSocket::TcpStates_t to)
{
    if (to == TcpSocket::CLOSED && from != TcpSocket::CLOSED)
        g_closed++;
}

// ----- server side -----

static void ServerRecv(Ptr<Socket> s)
{
    Ptr<Packet> p;
    while ((p = s->Recv()) && p->GetSize() > 0)
        s->Send(Create<Packet>(reinterpret_cast<const uint8_t*>(REPLY), sizeof REPLY - 1));
}

/** The client's FIN arrived (CLOSE_WAIT): the server reads EOF and closes. */
static void ServerPeerClosed(Ptr<Socket> s)
{
    s->Close();
}

static void ServerError(Ptr<Socket>)
{
    g_failures++;
}

static void ServerAccept(Ptr<Socket> s, const Address&)
{
    s->TraceConnectWithoutContext("State", MakeCallback(&OnState));
    s->SetRecvCallback(MakeCallback(&ServerRecv));
    s->SetCloseCallbacks(MakeCallback(&ServerPeerClosed), MakeCallback(&ServerError));
}

// ----- client side -----

static void ClientConnected(Ptr<Socket> s)
{
    s->Send(Create<Packet>(reinterpret_cast<const uint8_t*>(REQUEST), sizeof REQUEST - 1));
}

static void ClientFailed(Ptr<Socket>)
{
    g_failures++;
}

/** The reply line came back (16 bytes fit one segment): the client closes first. */
static void ClientRecv(Ptr<Socket> s)
{
    Ptr<Packet> p;
    bool got = false;
    while ((p = s->Recv()) && p->GetSize() > 0)
        got = true;
    if (got)
    {
        g_replies++;
        s->Close();
    }
}

static void ClientNothing(Ptr<Socket>)
{
}

static void StartClient(Ptr<Node> node, Ipv4Address server)
{
    Ptr<Socket> s = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
    s->TraceConnectWithoutContext("State", MakeCallback(&OnState));
    s->Bind();
    s->SetConnectCallback(MakeCallback(&ClientConnected), MakeCallback(&ClientFailed));
    s->SetRecvCallback(MakeCallback(&ClientRecv));
    s->SetCloseCallbacks(MakeCallback(&ClientNothing), MakeCallback(&ClientFailed));
    s->Connect(InetSocketAddress(server, PORT));
}

int main(int argc, char** argv)
{
    if (argc != 3)
    {
        std::fprintf(stderr, "usage: ns3Lifecycle CONNECTIONS CLIENT_NODES\n");
        return 2;
    }
    const uint64_t connections = std::strtoull(argv[1], nullptr, 10);
    const uint32_t clientNodes = static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 10));
    if (connections == 0 || clientNodes == 0 || connections % clientNodes != 0)
    {
        std::fprintf(stderr, "ns3Lifecycle: CONNECTIONS must be a positive multiple of CLIENT_NODES\n");
        return 2;
    }
    const uint64_t perNode = connections / clientNodes;
    const auto started = std::chrono::steady_clock::now();

    Config::SetDefault("ns3::TcpSocketBase::MaxSegLifetime", DoubleValue(30.0));

    NodeContainer server;
    server.Create(1);
    NodeContainer clients;
    clients.Create(clientNodes);
    InternetStackHelper stack;
    stack.Install(server);
    stack.Install(clients);

    PointToPointHelper link;
    link.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    link.SetChannelAttribute("Delay", StringValue("50us"));
    Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.252");
    std::vector<Ipv4Address> serverAddress(clientNodes);
    for (uint32_t i = 0; i < clientNodes; i++)
    {
        NetDeviceContainer devices = link.Install(server.Get(0), clients.Get(i));
        Ipv4InterfaceContainer ifaces = addresses.Assign(devices);
        // each client reaches the server on its own link's subnet: no routing needed
        serverAddress[i] = ifaces.GetAddress(0);
        addresses.NewNetwork();
    }

    Ptr<Socket> listener = Socket::CreateSocket(server.Get(0), TcpSocketFactory::GetTypeId());
    listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), PORT));
    listener->Listen();
    listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(), MakeCallback(&ServerAccept));

    for (uint32_t i = 0; i < clientNodes; i++)
        for (uint64_t j = 0; j < perNode; j++)
            Simulator::Schedule(MicroSeconds(j * 1000000 / perNode), &StartClient, clients.Get(i), serverAddress[i]);

    const auto setUp = std::chrono::steady_clock::now();
    Simulator::Run();
    const auto ran = std::chrono::steady_clock::now();
    const uint64_t events = Simulator::GetEventCount();
    const double virtualSeconds = Simulator::Now().GetSeconds();
    Simulator::Destroy();

    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    const bool ok = g_closed == 2 * connections && g_replies == connections && g_failures == 0;
    std::printf("{\"connections\":%llu,\"clientNodes\":%u,\"events\":%llu,\"virtualSeconds\":%.6f,"
                "\"setUpMs\":%.3f,\"runMs\":%.3f,\"peakRssBytes\":%llu,\"closed\":%llu,\"replies\":%llu,\"failures\":%llu,\"ok\":%s}\n",
                static_cast<unsigned long long>(connections), clientNodes, static_cast<unsigned long long>(events), virtualSeconds,
                std::chrono::duration<double, std::milli>(setUp - started).count(),
                std::chrono::duration<double, std::milli>(ran - setUp).count(),
                static_cast<unsigned long long>(usage.ru_maxrss) * 1024ULL, static_cast<unsigned long long>(g_closed),
                static_cast<unsigned long long>(g_replies), static_cast<unsigned long long>(g_failures), ok ? "true" : "false");
    return ok ? 0 : 1;
}
