using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace TicketHub.Gateway.Tests;

/// <summary>
/// Sign-in attempts are limited per client address; failures on a login slow down the client that
/// makes them, never the owner's own browser; nothing else is limited.
/// </summary>
public sealed class RateLimitTests
{
    [Test]
    public async Task Too_many_attempts_from_one_address_get_a_French_429_page_with_Retry_After()
    {
        using var app = new GatewayApp(new Dictionary<string, string?>
        {
            ["Identity:LoginRateLimit:PerIp"] = "3",
            ["Identity:LoginRateLimit:Window"] = "00:10:00",
        });
        using var browser = app.Browser();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var attempt = await GatewayApp.SignInAsync(browser, $"inconnu{i}", "mauvais-mot-de-passe");
            statuses.Add(attempt.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests }));
        using var limited = await GatewayApp.SignInAsync(browser, Sandbox.AdminLogin, Sandbox.PasswordOf(Sandbox.AdminLogin));
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "even the right password waits");
        Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
        var html = await limited.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("Trop de tentatives de connexion"));
        Assert.That(html, Does.Contain("name=\"__RequestVerificationToken\""), "the page can be submitted again later");

        using var client = app.WithKey(Sandbox.AdminKey);
        using var api = await client.GetAsync("/api/v1/categories");
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.OK), "only sign-in attempts are limited");
        using var page = await browser.GetAsync("/connexion");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), "showing the page is not an attempt");
    }

    [Test]
    public async Task Repeated_failures_on_one_login_make_an_unknown_client_wait_whatever_the_case_while_other_logins_still_sign_in()
    {
        using var app = new GatewayApp(new Dictionary<string, string?>
        {
            ["Identity:LoginRateLimit:PerLoginAndClient"] = "2",
            ["Identity:LoginRateLimit:FirstDelay"] = "00:10:00",
        });
        using var browser = app.Browser();

        (await GatewayApp.SignInAsync(browser, "admin", "essai-1")).Dispose();
        (await GatewayApp.SignInAsync(browser, "ADMIN", "essai-2")).Dispose();
        using var third = await GatewayApp.SignInAsync(browser, "Admin", Sandbox.PasswordOf(Sandbox.AdminLogin));
        using var other = await GatewayApp.SignInAsync(browser, Sandbox.CollegeLogin, Sandbox.PasswordOf(Sandbox.CollegeLogin));

        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
    }

    [Test]
    public async Task Right_password_from_a_browser_that_signed_in_before_still_works_while_the_login_is_under_attack()
    {
        using var app = new GatewayApp(new Dictionary<string, string?>
        {
            ["Identity:LoginRateLimit:PerLogin"] = "3",
            ["Identity:LoginRateLimit:PerLoginAndClient"] = "3",
            ["Identity:LoginRateLimit:FirstDelay"] = "00:10:00",
        });
        using var owner = app.Browser();
        (await GatewayApp.SignInAsync(owner, Sandbox.AdminLogin, Sandbox.PasswordOf(Sandbox.AdminLogin))).Dispose();
        using var attacker = app.Browser();

        var attack = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var attempt = await GatewayApp.SignInAsync(attacker, Sandbox.AdminLogin, $"devine-{i}");
            attack.Add(attempt.StatusCode);
        }

        using var ownerAgain = await GatewayApp.SignInAsync(owner, Sandbox.AdminLogin, Sandbox.PasswordOf(Sandbox.AdminLogin));
        using var attackerRight = await GatewayApp.SignInAsync(attacker, Sandbox.AdminLogin, Sandbox.PasswordOf(Sandbox.AdminLogin));

        Assert.That(attack[^1], Is.EqualTo(HttpStatusCode.TooManyRequests), "the attacker is slowed down");
        Assert.That(ownerAgain.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther), "the owner's browser is not locked out");
        Assert.That(attackerRight.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the attacker's client waits even with the right password");
    }

    [Test]
    public async Task Wrong_passwords_make_a_client_wait_longer_each_time_instead_of_locking_it_out()
    {
        using var app = new GatewayApp(new Dictionary<string, string?>
        {
            ["Identity:LoginRateLimit:PerLoginAndClient"] = "2",
            ["Identity:LoginRateLimit:FirstDelay"] = "00:00:01",
        });
        using var browser = app.Browser();
        (await GatewayApp.SignInAsync(browser, "technicien", "essai-1")).Dispose();
        (await GatewayApp.SignInAsync(browser, "technicien", "essai-2")).Dispose();

        using var first = await GatewayApp.SignInAsync(browser, "technicien", "essai-3");
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var afterWaiting = await GatewayApp.SignInAsync(browser, "technicien", "essai-4");
        using var second = await GatewayApp.SignInAsync(browser, "technicien", "essai-5");
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        using var right = await GatewayApp.SignInAsync(browser, "technicien", Sandbox.PasswordOf("technicien"));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(first.Headers.RetryAfter!.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(await first.Content.ReadAsStringAsync(), Does.Contain("Patientez 1 seconde avant de réessayer"));
        Assert.That(afterWaiting.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "after the wait, the password is checked again");
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(second.Headers.RetryAfter!.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)), "the wait doubles");
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther), "the right password works once the wait is over");
    }

    [Test]
    public async Task Behind_a_trusted_proxy_each_client_address_has_its_own_sign_in_budget()
    {
        using var gateway = KestrelGateway(trustedProxy: "127.0.0.1", out var address);

        var first = await AttemptsAsync(address, "203.0.113.1", 3);
        var second = await AttemptsAsync(address, "203.0.113.2", 1);

        Assert.That(first[^1], Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(second[0], Is.Not.EqualTo(HttpStatusCode.TooManyRequests), "another client behind the proxy has its own budget");
    }

    [Test]
    public async Task Forwarded_address_from_a_peer_that_is_not_a_trusted_proxy_is_ignored()
    {
        using var gateway = KestrelGateway(trustedProxy: "10.9.9.9", out var address);

        await AttemptsAsync(address, "203.0.113.1", 2);
        var other = await AttemptsAsync(address, "203.0.113.2", 1);

        Assert.That(other[0], Is.EqualTo(HttpStatusCode.TooManyRequests), "a client cannot get a fresh budget by naming another address");
    }

    /// <summary>The gateway on real Kestrel (the client's address is a real TCP peer), two attempts per address.</summary>
    private static GatewayApp KestrelGateway(string trustedProxy, out string address)
    {
        var gateway = new GatewayApp(new Dictionary<string, string?>
        {
            ["Identity:LoginRateLimit:PerIp"] = "2",
            ["Gateway:TrustedProxies:0"] = trustedProxy,
        });
        gateway.UseKestrel(0);
        gateway.StartServer();
        address = gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return gateway;
    }

    private static async Task<List<HttpStatusCode>> AttemptsAsync(string address, string forwardedFor, int count)
    {
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/connexion")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = "admin", ["password"] = "devine" }),
            };
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
