namespace Coordinator.Silo.Security;

/// <summary>A configuration the silo will not run with; <c>Program</c> prints the message and exits 1.</summary>
public sealed class StartupRefusedException(string message) : Exception(message);
