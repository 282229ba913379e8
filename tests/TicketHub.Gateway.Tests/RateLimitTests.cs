using System.Net;

namespace TicketHub.Gateway.Tests;

/// <summary>Sign-in attempts are limited per client address and per login; nothing else is.</summary>
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
    public async Task Too_many_attempts_on_one_login_are_refused_whatever_the_case_while_other_logins_still_sign_in()
    {
        using var app = new GatewayApp(new Dictionary<string, string?>
        {
            ["Identity:LoginRateLimit:PerLogin"] = "2",
            ["Identity:LoginRateLimit:Window"] = "00:10:00",
        });
        using var browser = app.Browser();

        (await GatewayApp.SignInAsync(browser, "admin", "essai-1")).Dispose();
        (await GatewayApp.SignInAsync(browser, "ADMIN", "essai-2")).Dispose();
        using var third = await GatewayApp.SignInAsync(browser, "Admin", Sandbox.PasswordOf(Sandbox.AdminLogin));
        using var other = await GatewayApp.SignInAsync(browser, Sandbox.CollegeLogin, Sandbox.PasswordOf(Sandbox.CollegeLogin));

        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
    }
}
