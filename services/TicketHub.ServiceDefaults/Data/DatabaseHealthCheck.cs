using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TicketHub.ServiceDefaults.Data;

internal sealed class DatabaseHealthCheck(IDbConnectionFactory connections, DatabaseState state) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!state.IsReady)
        {
            return HealthCheckResult.Unhealthy("La base de données n'est pas encore prête (elle ne répondait pas au démarrage).");
        }

        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("La base de données ne répond pas.", ex);
        }
    }
}
