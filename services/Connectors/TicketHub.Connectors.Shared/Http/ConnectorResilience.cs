using System.Net.Http.Headers;
using System.Reflection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Shared.Http;

/// <summary>The one configuration of the connectors' HTTP clients (GLPI, iTop, the hub's contract, intake's files).</summary>
public static class ConnectorResilience
{
    /// <summary>
    /// Gives <paramref name="client"/> its own standard pipeline: a timeout per attempt
    /// (<paramref name="attemptTimeout"/>, read from the client's options) and four for the whole
    /// call; up to 3 retries with exponential backoff and jitter, where <c>Retry-After</c> (seconds
    /// or a date) replaces the backoff when the tool or its proxy sends one; a circuit breaker.
    /// <paramref name="limitRetries"/> says which transient failures may be sent again: creating a
    /// ticket twice is worse than failing, so no client resends a creation whose outcome is uncertain,
    /// and the connector makes creation idempotent instead.
    /// Every request also names the service and the replica that sent it in its <c>User-Agent</c>
    /// (<c>TicketHub.Connectors.Glpi/1.0.0.0 (host/pid/…)</c>, the replica as <see cref="ReplicaInstance"/>
    /// names it): a tool's administrator reads in the access log which replica called, and the
    /// replica tests check with it that one replica at a time polls each tool.
    /// </summary>
    public static IHttpClientBuilder AddConnectorResilience(
        this IHttpClientBuilder client,
        Func<IServiceProvider, TimeSpan> attemptTimeout,
        Action<HttpRetryStrategyOptions> limitRetries)
    {
        client.ConfigureHttpClient((provider, http) =>
        {
            var entry = Assembly.GetEntryAssembly()?.GetName();
            var service = provider.GetService<IHostEnvironment>()?.ApplicationName ?? entry?.Name ?? "TicketHub";
            http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue(service.Replace(' ', '-'), entry?.Version?.ToString() ?? "0"));
            http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue($"({ReplicaInstance.Id})"));
        });
        client.AddStandardResilienceHandler().Configure((resilience, provider) =>
        {
            var timeout = attemptTimeout(provider);
            resilience.AttemptTimeout.Timeout = timeout;
            resilience.TotalRequestTimeout.Timeout = timeout * 4;
            resilience.Retry.MaxRetryAttempts = 3;
            resilience.Retry.Delay = TimeSpan.FromSeconds(1);
            resilience.Retry.BackoffType = DelayBackoffType.Exponential;
            resilience.Retry.UseJitter = true;
            resilience.Retry.ShouldRetryAfterHeader = true;
            limitRetries(resilience.Retry);
            resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, timeout.Ticks * 2));
            // The standard breaker waits for 100 attempts in its window before judging: a connector
            // makes a few a minute and it would never open. Half of 10 attempts failing opens it.
            resilience.CircuitBreaker.MinimumThroughput = 10;
            resilience.CircuitBreaker.FailureRatio = 0.5;
        });
        return client;
    }

    /// <summary>Retries a transient failure only when <paramref name="allowed"/> says the request (and the answer, if any) may be sent again.</summary>
    public static void RetryOnlyWhen(this HttpRetryStrategyOptions retry, Func<HttpRequestMessage?, HttpResponseMessage?, bool> allowed)
    {
        var isTransient = retry.ShouldHandle;
        retry.ShouldHandle = async args =>
            await isTransient(args) && allowed(args.Context.GetRequestMessage(), args.Outcome.Result);
    }
}
