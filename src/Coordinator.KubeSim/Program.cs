using Coordinator.KubeSim.Hosting;

// dotnet run --project src/Coordinator.KubeSim -- --clusters dev,staging,prod --seed --kubeconfig /tmp/kubesim.yaml [--port N]
// Not disposed: ProcessExit fires after RunAsync returned, and cancelling a disposed source would crash the exit.
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
return await KubeSimProgram.RunAsync(args, Console.Out, Console.Error, stop.Token);
