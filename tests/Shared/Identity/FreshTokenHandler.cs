using System.Net.Http.Headers;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Testing;

/// <summary>
/// Gives every request without an <c>Authorization</c> header a fresh token for <paramref name="user"/>,
/// as the gateway mints one per request: a client used longer than a token lives keeps working.
/// Pass it to <c>WebApplicationFactory.CreateDefaultClient</c>.
/// </summary>
public sealed class FreshTokenHandler(HubUser user) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", TestIdentity.TokenFor(user));
        return base.SendAsync(request, cancellationToken);
    }
}
