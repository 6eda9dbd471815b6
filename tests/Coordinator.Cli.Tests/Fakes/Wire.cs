extern alias cli;

using Coordinator.Grpc.V1;
using Google.Protobuf;
using CliClusterRollout = cli::Coordinator.Grpc.V1.ClusterRollout;

namespace Coordinator.Cli.Tests.Fakes;

/// <summary>Moves hand-built messages from the CLI's copy of the contract to the fake server's copy (same bytes).</summary>
public static class Wire
{
    public static ClusterRollout ToServer(this CliClusterRollout message) => ClusterRollout.Parser.ParseFrom(message.ToByteArray());

    public static RolloutReply Reply(params CliClusterRollout[] clusters)
    {
        var reply = new RolloutReply { Name = "rollouts-demo", Namespace = "default" };
        reply.Clusters.AddRange(clusters.Select(ToServer));
        return reply;
    }

    public static ClusterRollout Failed(string cluster, string error) =>
        new() { Cluster = cluster, Namespace = "default", Name = "rollouts-demo", CurrentStepIndex = -1, Error = error };
}
