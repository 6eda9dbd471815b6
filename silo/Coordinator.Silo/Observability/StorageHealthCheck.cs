using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Coordinator.Silo.Observability;

/// <summary>Ready when the grain-state table answers a one-row query (Azure Table storage; Azurite locally).</summary>
internal sealed class StorageHealthCheck(string connectionString, string table) : IHealthCheck
{
    private readonly TableClient _table = new(connectionString, table);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(5));
            await foreach (var _ in _table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: deadline.Token).AsPages())
                break;
            return HealthCheckResult.Healthy($"table {table} answers");
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Not created yet (Orleans creates it on first write): the account answers, which is what readiness asks.
            return HealthCheckResult.Healthy($"table {table} not created yet");
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or AggregateException)
        {
            // The message of a storage failure names the account's URL, never its key.
            return HealthCheckResult.Unhealthy($"table {table}: {ex.GetType().Name}");
        }
    }
}
