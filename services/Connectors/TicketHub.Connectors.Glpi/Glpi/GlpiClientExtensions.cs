using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Refit;

namespace TicketHub.Connectors.Glpi.Glpi;

internal static class GlpiClientExtensions
{
    /// <summary>
    /// The GLPI clients: options validated at start, credentials and session handling, and one
    /// resilience pipeline per client (timeouts, retries with backoff and jitter that honour
    /// Retry-After, circuit breaker). Retries are off for POST/PUT/PATCH/DELETE: creating a ticket
    /// twice is worse than failing, so creation is made idempotent by the caller instead.
    /// </summary>
    public static IServiceCollection AddGlpiClient(this IServiceCollection services)
    {
        services.AddOptions<GlpiOptions>().BindConfiguration(GlpiOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GlpiOptions>, GlpiOptionsValidator>();

        services.AddSingleton<GlpiSessionProvider>();
        services.AddHostedService(provider => provider.GetRequiredService<GlpiSessionProvider>());
        services.AddTransient<GlpiLoginHandler>();
        services.AddTransient<GlpiSessionHandler>();

        var sessionClient = services.AddRefitGeneratedClient<IGlpiSessionApi>(GlpiJsonContext.Default)
            .ConfigureHttpClient(ConfigureBaseAddress)
            .RedactLoggedHeaders(GlpiHeaders.Secrets);
        sessionClient.AddStandardResilienceHandler().Configure(ConfigureResilience);
        sessionClient.AddHttpMessageHandler<GlpiLoginHandler>();

        // Order matters: the resilience handler is outermost so that each attempt goes through the
        // session handler (fresh token) and a session renewal is not counted as a failure.
        var apiClient = services.AddRefitGeneratedClient<IGlpiApi>(GlpiJsonContext.Default)
            .ConfigureHttpClient(ConfigureBaseAddress)
            .RedactLoggedHeaders(GlpiHeaders.Secrets);
        apiClient.AddStandardResilienceHandler().Configure(ConfigureResilience);
        apiClient.AddHttpMessageHandler<GlpiSessionHandler>();
        return services;
    }

    private static void ConfigureBaseAddress(IServiceProvider provider, HttpClient client) =>
        client.BaseAddress = provider.GetRequiredService<IOptions<GlpiOptions>>().Value.ApiUri;

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, IServiceProvider provider)
    {
        var timeout = provider.GetRequiredService<IOptions<GlpiOptions>>().Value.Timeout;
        resilience.AttemptTimeout.Timeout = timeout;
        resilience.TotalRequestTimeout.Timeout = timeout * 4;
        resilience.Retry.MaxRetryAttempts = 3;
        resilience.Retry.Delay = TimeSpan.FromSeconds(1);
        resilience.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        // Retry-After (seconds or a date) replaces the backoff when GLPI or its proxy sends one.
        resilience.Retry.ShouldRetryAfterHeader = true;
        resilience.Retry.DisableForUnsafeHttpMethods();
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, timeout.Ticks * 2));
        // The standard breaker waits for 100 attempts in its window before judging: the connector
        // makes a few a minute and it would never open. Half of 10 attempts failing opens it.
        resilience.CircuitBreaker.MinimumThroughput = 10;
        resilience.CircuitBreaker.FailureRatio = 0.5;
    }
}
