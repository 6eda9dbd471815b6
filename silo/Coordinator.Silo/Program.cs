using Coordinator.Silo.Hosting;

var app = await CoordinatorApp.BuildAsync(args);
await app.RunAsync();

/// <summary>Visible to tests that host the silo in-process.</summary>
public partial class Program;
