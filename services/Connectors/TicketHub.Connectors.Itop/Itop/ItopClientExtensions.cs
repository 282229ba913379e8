using Microsoft.Extensions.Options;
using Refit;
using TicketHub.Connectors.Shared.Http;

namespace TicketHub.Connectors.Itop.Itop;

internal static class ItopClientExtensions
{
    /// <summary>
    /// The iTop client: options validated at start, credentials added to each form, and one
    /// resilience pipeline (<see cref="ConnectorResilience"/>). Every iTop call is a POST, so the
    /// method says nothing: only calls flagged read-only (<c>core/get</c>) are retried; a create or an
    /// update is never sent twice by the pipeline, and creation is made idempotent by the caller instead.
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
        client.AddConnectorResilience(
            provider => provider.GetRequiredService<IOptions<ItopOptions>>().Value.Timeout,
            retry => retry.RetryOnlyWhen((request, _) => ItopRequestOptions.IsReadOnly(request)));
        client.AddHttpMessageHandler<ItopCredentialsHandler>();
        return services;
    }
}
