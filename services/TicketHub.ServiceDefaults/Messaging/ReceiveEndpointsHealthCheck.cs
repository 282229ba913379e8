using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// <c>/health/ready</c>: each receive endpoint by queue name, consuming or not and since when. The
/// broker check says whether the bus is connected; this one says whether every queue has its
/// consumer, which a connected bus does not guarantee (ADR 12).
/// </summary>
internal sealed class ReceiveEndpointsHealthCheck(ReceiveEndpointStates endpoints) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var all = endpoints.All;
        var data = all.ToDictionary(
            endpoint => endpoint.Queue,
            endpoint => (object)(endpoint.Consuming
                ? $"consomme depuis {Time(endpoint.Since)}"
                : $"ne consomme pas depuis {Time(endpoint.Since)} : {endpoint.Detail}"));
        var down = all.Count(endpoint => !endpoint.Consuming);
        return Task.FromResult(all.Count > 0 && down == 0
            ? HealthCheckResult.Healthy($"Les {all.Count} files sont consommées.", data)
            : HealthCheckResult.Unhealthy(
                all.Count == 0 ? "Aucune file n'est encore consommée." : $"{down} file(s) sur {all.Count} ne sont pas consommées.",
                data: data));
    }

    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
