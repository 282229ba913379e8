using System.Net.Http.Headers;
using Microsoft.Net.Http.Headers;
using TicketHub.Gateway.Identity;
using TicketHub.ServiceDefaults.Security;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TicketHub.Gateway.Proxy;

/// <summary>
/// What the gateway says about the caller to the service or portal behind it, and nothing else:
/// whatever identity the client sent (<c>Authorization</c>, <c>X-Api-Key</c>,
/// <c>X-TicketHub-User</c>) is removed, and so are the gateway's own cookies (the session is the
/// gateway's business; the portal's own cookies pass). An authenticated caller's request then
/// carries <c>Authorization: Bearer</c> with an internal token minted for it.
/// </summary>
public static class IdentityForwarding
{
    /// <summary>Request headers never forwarded from a client.</summary>
    public static readonly string[] ClientIdentityHeaders = [HeaderNames.Authorization, "X-Api-Key", "X-TicketHub-User"];

    public static void Apply(TransformBuilderContext builder) =>
        builder.AddRequestTransform(context =>
        {
            var headers = context.ProxyRequest.Headers;
            foreach (var header in ClientIdentityHeaders)
            {
                headers.Remove(header);
            }

            RemoveGatewayCookies(headers, context.HttpContext.RequestServices.GetRequiredService<GatewayCookies>());

            if (HubUser.From(context.HttpContext.User) is { } user)
            {
                var token = context.HttpContext.RequestServices.GetRequiredService<InternalTokenIssuer>().Issue(user);
                headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return ValueTask.CompletedTask;
        });

    private static void RemoveGatewayCookies(HttpRequestHeaders headers, GatewayCookies cookies)
    {
        if (!headers.TryGetValues(HeaderNames.Cookie, out var values))
        {
            return;
        }

        var kept = new List<string>();
        var removed = false;
        foreach (var value in values)
        {
            foreach (var pair in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var name = pair.Split('=', 2)[0];
                if (cookies.IsGatewayCookie(name))
                {
                    removed = true;
                }
                else
                {
                    kept.Add(pair);
                }
            }
        }

        if (!removed)
        {
            return;
        }

        headers.Remove(HeaderNames.Cookie);
        if (kept.Count > 0)
        {
            headers.TryAddWithoutValidation(HeaderNames.Cookie, string.Join("; ", kept));
        }
    }
}
