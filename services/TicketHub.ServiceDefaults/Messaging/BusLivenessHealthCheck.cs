using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// <c>/health/live</c>: fails once a receive endpoint has not consumed for
/// <see cref="BusSupervisionOptions.LiveFailAfter"/> although the broker answered all that time,
/// the supervisor's restarts included. A broker that is down does not make the service "dead": restarting
/// it would not help (ADR 12).
/// </summary>
internal sealed class BusLivenessHealthCheck(BusSupervisor supervisor, ReceiveEndpointStates endpoints, IOptions<BusSupervisionOptions> options, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (supervisor.StuckSince is { } stuck && clock.GetUtcNow() - stuck >= options.Value.LiveFailAfter)
        {
            var down = string.Join(", ", endpoints.Down.Select(endpoint => endpoint.Queue));
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"Le courtier répond mais ces files ne sont plus consommées depuis {stuck.ToString("O", CultureInfo.InvariantCulture)}, malgré {supervisor.Restarts} tentative(s) de redémarrage : {down}."));
        }

        return Task.FromResult(HealthCheckResult.Healthy());
    }
}
