namespace Coordinator.Cli.Connection;

/// <summary>What every command needs: the streams and clock, and the shared connection options.</summary>
internal sealed record CliContext(CliEnvironment Env, ConnectionOptions Options);
