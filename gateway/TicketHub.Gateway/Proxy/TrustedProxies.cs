using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace TicketHub.Gateway.Proxy;

/// <summary>
/// The reverse proxies in front of the gateway (<c>Gateway:TrustedProxies</c>: addresses or networks
/// such as <c>10.0.0.5</c> or <c>10.0.0.0/24</c>). From them alone, <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed: the client's address is then the one the proxy saw, so the
/// sign-in limits count each client, not the proxy. Empty (the default): the TCP peer is the client,
/// and every forwarded header is ignored.
/// </summary>
public static class TrustedProxies
{
    public const string SectionName = "Gateway:TrustedProxies";

    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        var entries = builder.Configuration.GetSection(SectionName).Get<string[]>() ?? [];
        var networks = entries.Where(e => e.Trim().Length > 0).Select(entry => Parse(entry.Trim())).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default: only what the operator lists is trusted here.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }

            options.ForwardLimit = 1;
        });
        return builder;
    }

    /// <summary>Believes the trusted proxies' forwarded headers; does nothing when none is listed.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value.KnownIPNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    private static IPNetwork Parse(string entry)
    {
        if (IPNetwork.TryParse(entry, out var network))
        {
            return network;
        }

        if (IPAddress.TryParse(entry, out var address))
        {
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        throw new InvalidOperationException($"{SectionName} holds \"{entry}\", which is neither an IP address nor a network (10.0.0.0/24).");
    }
}
