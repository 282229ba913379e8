using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace TicketHub.Connectors.Itop.Itop;

internal static class ItopClientExtensions
{
    /// <summary>
    /// The iTop client: options validated at start, credentials added to each form, and one
    /// resilience pipeline (timeouts, retries with backoff and jitter that honour Retry-After,
    /// circuit breaker). Every iTop call is a POST, so the method says nothing: only calls flagged
    /// read-only (<c>core/get</c>) are retried; a create or an update is never sent twice by the
    /// pipeline, and creation is made idempotent by the caller instead.
    /// </summary>
    public static IServiceCollection AddItopClient(this IServiceCollection services)
    {
        services.AddOptions<ItopOptions>().BindConfiguration(ItopOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ItopOptions>, ItopOptionsValidator>();
        services.AddSingleton<ItopDates>();
        services.AddTransient<ItopCredentialsHandler>();
        services.AddTransient<ItopClient>();

        // Order matters: the resilience handler is outermost, so each attempt gets the credentials.
        // rest.php is the whole address: the call adds only "?version=…" to it, which Refit's
        // legacy URL rules (a path starting with "/") cannot express; RFC 3986 resolution can.
        var client = services.AddRefitGeneratedClient<IItopApi>(ItopJsonContext.Default, _ => new RefitSettings { UrlResolution = UrlResolutionMode.Rfc3986 })
            .ConfigureHttpClient((provider, http) => http.BaseAddress = provider.GetRequiredService<IOptions<ItopOptions>>().Value.ApiUri);
        client.AddStandardResilienceHandler().Configure(ConfigureResilience);
        client.AddHttpMessageHandler<ItopCredentialsHandler>();
        return services;
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, IServiceProvider provider)
    {
        var timeout = provider.GetRequiredService<IOptions<ItopOptions>>().Value.Timeout;
        resilience.AttemptTimeout.Timeout = timeout;
        resilience.TotalRequestTimeout.Timeout = timeout * 4;
        resilience.Retry.MaxRetryAttempts = 3;
        resilience.Retry.Delay = TimeSpan.FromSeconds(1);
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        // Retry-After (seconds or a date) replaces the backoff when iTop or its proxy sends one.
        resilience.Retry.ShouldRetryAfterHeader = true;
        var isTransient = resilience.Retry.ShouldHandle;
        resilience.Retry.ShouldHandle = async args =>
            ItopRequestOptions.IsReadOnly(args.Context.GetRequestMessage()) && await isTransient(args);
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, timeout.Ticks * 2));
        // The standard breaker waits for 100 attempts in its window before judging: the connector
        // makes a few a minute and it would never open. Half of 10 attempts failing opens it.
        resilience.CircuitBreaker.MinimumThroughput = 10;
        resilience.CircuitBreaker.FailureRatio = 0.5;
    }
}
