using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using TicketHub.ServiceDefaults.Security;
using WireMock.Server;

namespace TicketHub.Portal.Tests;

/// <summary>
/// The portal in memory, trusting the test stand-in for the gateway (<see cref="TestIdentity"/>),
/// with WireMock.Net in place of intake and the classifier. Cookies are not <c>Secure</c> here (the
/// test client speaks plain HTTP) unless <paramref name="settings"/> says otherwise.
/// </summary>
public sealed class PortalFactory(WireMockServer intake, WireMockServer classifier, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Services:Intake", intake.Url + "/");
        builder.UseSetting("Services:Classifier", classifier.Url + "/");
        builder.UseSetting("Identity:Cookie:Secure", "false");
        foreach (var (key, value) in TestIdentity.ServiceSettings.Concat(settings ?? new Dictionary<string, string?>()))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// A browser-like client: keeps cookies, does not follow redirects, and acts as
    /// <paramref name="user"/> (a fresh token per request, as the gateway mints them); anonymous for null.
    /// </summary>
    public HttpClient BrowserFor(HubUser? user) => user is null
        ? CreateDefaultClient(new CookieContainerHandler())
        : CreateDefaultClient(new CookieContainerHandler(), new FreshTokenHandler(user));
}
