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
        await using var server = await KubeSimServer.StartAsync(new KubeSimOptions { Port = parsed.Port, BindAddress = parsed.BindAddress, AdvertisedHost = parsed.AdvertisedHost }, stop);
        foreach (var name in parsed.Clusters)
        {
            var cluster = server.AddCluster(name, parsed.LabelsOf(name));
            if (parsed.Rbac) cluster.EnableRbac();
            if (parsed.Seed) cluster.LoadSeed();
        }
        if (parsed.KubeconfigPath != null) server.WriteKubeconfig(parsed.KubeconfigPath);
        foreach (var cluster in server.Clusters) await stdout.WriteLineAsync($"{cluster.Name} {cluster.ServerUrl}");
        if (parsed.KubeconfigPath != null) await stdout.WriteLineAsync($"kubeconfig written to {parsed.KubeconfigPath}");
        await stdout.FlushAsync(stop);
        // Until Ctrl-C, or SIGTERM (`docker stop`, a pod's termination): the host's console lifetime turns that into a stop
        // of the server instead of ending the process, so watch the server stopping too.
        using var until = CancellationTokenSource.CreateLinkedTokenSource(stop, server.Stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, until.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM.
        }
        return 0;
    }
}
