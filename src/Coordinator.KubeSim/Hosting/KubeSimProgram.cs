namespace Coordinator.KubeSim.Hosting;

/// <summary>The command-line program: start clusters, write the kubeconfig, optionally seed, serve until cancelled.</summary>
public static class KubeSimProgram
{
    public const int BadArguments = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken stop)
    {
        var parsed = CommandLine.Parse(args, out var error);
        if (parsed == null)
        {
            await stderr.WriteLineAsync($"error: {error}");
            await stderr.WriteLineAsync(CommandLine.Usage);
            return BadArguments;
        }
        await using var server = await KubeSimServer.StartAsync(new KubeSimOptions { Port = parsed.Port }, stop);
        foreach (var name in parsed.Clusters)
        {
            var cluster = server.AddCluster(name);
            if (parsed.Seed) cluster.LoadSeed();
        }
        if (parsed.KubeconfigPath != null) server.WriteKubeconfig(parsed.KubeconfigPath);
        foreach (var cluster in server.Clusters) await stdout.WriteLineAsync($"{cluster.Name} {cluster.ServerUrl}");
        if (parsed.KubeconfigPath != null) await stdout.WriteLineAsync($"kubeconfig written to {parsed.KubeconfigPath}");
        await stdout.FlushAsync(stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C.
        }
        return 0;
    }
}
