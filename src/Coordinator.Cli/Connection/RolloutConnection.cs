using Coordinator.Grpc.V1;
using Grpc.Net.Client;

namespace Coordinator.Cli.Connection;

/// <summary>A gRPC channel to the coordinator (h2c for http:// URLs) plus the namespace and target of the call (rollouts only: a fleet names its own).</summary>
internal sealed class RolloutConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    public RolloutConnection(string server, string @namespace, Target target, ChannelCredentialsOptions? credentials = null)
    {
        Server = server;
        Namespace = @namespace;
        Target = target;
        Credentials = credentials ?? ChannelCredentialsOptions.None;
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), EnableMultipleHttp2Connections = true };
        var options = new GrpcChannelOptions { HttpHandler = handler };
        Credentials.ApplyTo(options, handler, server);
        _channel = GrpcChannel.ForAddress(server, options);
        Client = new Rollouts.RolloutsClient(_channel);
        Fleets = new FleetRollouts.FleetRolloutsClient(_channel);
    }

    public string Server { get; }

    public ChannelCredentialsOptions Credentials { get; }

    /// <summary>The namespace given with -n, or empty (the server then applies its default).</summary>
    public string Namespace { get; }

    public Target Target { get; }

    public Rollouts.RolloutsClient Client { get; }

    /// <summary>The FleetRollouts service on the same channel.</summary>
    public FleetRollouts.FleetRolloutsClient Fleets { get; }

    public RolloutRequest Request(string name) => new() { Name = name, Namespace = Namespace, Target = Target };

    public void Dispose() => _channel.Dispose();
}
