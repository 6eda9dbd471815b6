using Coordinator.Silo.Security;
using Coordinator.Silo.Hosting;

WebApplication app;
try
{
    app = await CoordinatorApp.BuildAsync(args);
}
catch (StartupRefusedException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 1;
}
await app.RunAsync();
return 0;

/// <summary>Visible to tests that host the silo in-process.</summary>
public partial class Program;
