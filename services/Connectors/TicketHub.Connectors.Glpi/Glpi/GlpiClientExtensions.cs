using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Refit;
using TicketHub.Connectors.Shared.Http;

namespace TicketHub.Connectors.Glpi.Glpi;

internal static class GlpiClientExtensions
{
    /// <summary>
    /// The GLPI clients: options validated at start, credentials and session handling, and one
    /// resilience pipeline per client (<see cref="ConnectorResilience"/>). Retries are off for
    /// POST/PUT/PATCH/DELETE: creating a ticket twice is worse than failing, so creation is made
    /// idempotent by the caller instead.
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
        sessionClient.AddConnectorResilience(Timeout, retry => retry.DisableForUnsafeHttpMethods());
        sessionClient.AddHttpMessageHandler<GlpiLoginHandler>();

        // Order matters: the resilience handler is outermost so that each attempt goes through the
        // session handler (fresh token) and a session renewal is not counted as a failure.
        var apiClient = services.AddRefitGeneratedClient<IGlpiApi>(GlpiJsonContext.Default)
            .ConfigureHttpClient(ConfigureBaseAddress)
            .RedactLoggedHeaders(GlpiHeaders.Secrets);
        apiClient.AddConnectorResilience(Timeout, retry => retry.DisableForUnsafeHttpMethods());
        apiClient.AddHttpMessageHandler<GlpiSessionHandler>();
        return services;
    }

    private static void ConfigureBaseAddress(IServiceProvider provider, HttpClient client) =>
        client.BaseAddress = provider.GetRequiredService<IOptions<GlpiOptions>>().Value.ApiUri;

    private static TimeSpan Timeout(IServiceProvider provider) => provider.GetRequiredService<IOptions<GlpiOptions>>().Value.Timeout;
}
