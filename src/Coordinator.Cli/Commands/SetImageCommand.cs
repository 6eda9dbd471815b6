using System.CommandLine;
using System.CommandLine.Parsing;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Commands;

/// <summary><c>set image NAME CONTAINER=IMAGE</c>: changes the image of the rollout's referenced Deployment.</summary>
internal static class SetImageCommand
{
    public static Command Create(CliContext ctx)
    {
        var rollout = Arguments.RolloutName();
        var containerImage = new Argument<string>("CONTAINER=IMAGE")
        {
            Description = "Container name (or * for every container) and its new image",
            Validators = { Validate },
        };
        var image = new Command("image", "Update the image of a rollout's containers") { rollout, containerImage };
        image.SetRpcAction(ctx, async (parse, conn, ct) =>
        {
            var name = parse.GetValue(rollout)!;
            var (container, newImage) = Split(parse.GetValue(containerImage)!)!.Value;
            var reply = await conn.Client.SetImageAsync(new SetImageRequest
            {
                Name = name, Namespace = conn.Namespace, Target = conn.Target, Container = container, Image = newImage,
            }, cancellationToken: ct);
            return await Output.WriteAsync(ctx.Env, ReplySummary.Render(reply.Clusters, $"deployment \"{name}\" image updated"));
        });
        return new Command("set", "Set a property of a rollout") { image };
    }

    /// <summary>Splits <c>CONTAINER=IMAGE</c>; null when either side is empty or there is no '='.</summary>
    public static (string Container, string Image)? Split(string value)
    {
        var eq = value.IndexOf('=');
        if (eq <= 0 || eq == value.Length - 1)
            return null;
        return (value[..eq].Trim(), value[(eq + 1)..].Trim());
    }

    private static void Validate(ArgumentResult result)
    {
        var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Split(value) is null)
            result.AddError($"invalid argument CONTAINER=IMAGE '{value}': expected <container>=<image>, e.g. rollouts-demo=argoproj/rollouts-demo:yellow");
    }
}
