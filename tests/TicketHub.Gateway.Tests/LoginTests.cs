using System.Net;
using System.Text.RegularExpressions;

namespace TicketHub.Gateway.Tests;

/// <summary>The sign-in page: the session it opens, what it says when it refuses, and what it refuses.</summary>
public sealed class LoginTests
{
    private GatewayApp _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new GatewayApp();

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    [Test]
    public async Task Sign_in_page_is_French_HTML_with_labelled_fields_and_an_antiforgery_token()
    {
        using var browser = _app.Browser();
        using var response = await browser.GetAsync("/connexion");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
            Assert.That(html, Does.Contain("<html lang=\"fr\""));
            Assert.That(html, Does.Contain("<link rel=\"stylesheet\" href=\"/dsfr/dsfr.min.css\">"));
            Assert.That(html, Does.Contain("<label class=\"fr-label\" for=\"login\">Identifiant"));
            Assert.That(html, Does.Contain("<label class=\"fr-label\" for=\"password\">Mot de passe"));
            Assert.That(html, Does.Contain("name=\"__RequestVerificationToken\""));
            Assert.That(html, Does.Not.Contain("Se connecter avec"), "no identity provider is configured");
            Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
        });
    }

    [Test]
    public async Task Right_password_opens_a_session_in_a_Host_cookie_that_is_HttpOnly_Secure_and_Lax()
    {
        using var browser = _app.Browser();
        using var response = await GatewayApp.SignInAsync(browser, "Secretariat.0931234X", Sandbox.PasswordOf(Sandbox.CollegeLogin), "/demandes?statut=ouverte");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/demandes?statut=ouverte"));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-TicketHub=", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.That(attributes, Is.SupersetOf(new[] { "path=/", "secure", "httponly", "samesite=lax" }));
        Assert.That(attributes, Has.None.StartsWith("domain="), "a __Host- cookie has no Domain");

        using var portal = await browser.GetAsync("/mes-demandes");
        Assert.That(portal.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the session lets the browser through");
    }

    [TestCase("secretariat.0931234x", "mauvais-mot-de-passe", TestName = "Wrong_password_gets_the_same_French_error_as_an_unknown_login_when_the_password_is_wrong")]
    [TestCase("personne.inconnue", "demo-moulin-2026", TestName = "Wrong_password_gets_the_same_French_error_as_an_unknown_login_when_the_login_is_unknown")]
    public async Task Wrong_password_gets_the_same_French_error_as_an_unknown_login(string login, string password)
    {
        using var browser = _app.Browser();
        using var response = await GatewayApp.SignInAsync(browser, login, password);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(html, Does.Contain("Identifiant ou mot de passe incorrect."));
            Assert.That(html, Does.Contain("<title>Erreur – Connexion – TicketHub</title>"));
            Assert.That(html, Does.Contain("id=\"connexion-erreur\""));
            Assert.That(html, Does.Match("id=\"password\"[^>]*aria-describedby=\"connexion-erreur\""), "the error is tied to the fields");
            Assert.That(html, Does.Contain($"value=\"{login}\""), "the login typed is kept");
            Assert.That(html, Does.Not.Contain(password), "the password is never sent back");
            Assert.That(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("__Host-TicketHub=", StringComparison.Ordinal)), Is.False);
        });
    }

    [Test]
    public async Task Empty_fields_get_an_error_each_tied_to_its_field()
    {
        using var browser = _app.Browser();
        using var response = await GatewayApp.SignInAsync(browser, "", "");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(html, Does.Match("id=\"login\"[^>]*aria-invalid=\"true\" aria-describedby=\"login-erreur\""));
            Assert.That(html, Does.Contain("<p class=\"fr-error-text\" id=\"login-erreur\">Saisissez votre identifiant.</p>"));
            Assert.That(html, Does.Match("id=\"password\"[^>]*aria-describedby=\"password-erreur\""));
            Assert.That(html, Does.Contain("<p class=\"fr-error-text\" id=\"password-erreur\">Saisissez votre mot de passe.</p>"));
        });
    }

    [Test]
    public async Task Sign_in_without_the_antiforgery_token_is_refused()
    {
        using var browser = _app.Browser();
        await GatewayApp.FormTokenAsync(browser);
        using var response = await browser.PostAsync("/connexion", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["login"] = Sandbox.AdminLogin,
            ["password"] = Sandbox.PasswordOf(Sandbox.AdminLogin),
        }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Le formulaire a expiré"));
        Assert.That(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("__Host-TicketHub=", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public async Task Sign_in_with_a_token_from_another_browser_is_refused()
    {
        using var attacker = _app.Browser();
        var foreignToken = await GatewayApp.FormTokenAsync(attacker);
        using var victim = _app.Browser();
        await GatewayApp.FormTokenAsync(victim);

        using var response = await victim.PostAsync("/connexion", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = foreignToken,
            ["login"] = Sandbox.AdminLogin,
            ["password"] = Sandbox.PasswordOf(Sandbox.AdminLogin),
        }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase("https://evil.example/", TestName = "Return_path_to_another_site_leads_home_instead_when_absolute")]
    [TestCase("//evil.example/phish", TestName = "Return_path_to_another_site_leads_home_instead_when_protocol_relative")]
    [TestCase("/\\evil.example", TestName = "Return_path_to_another_site_leads_home_instead_when_backslashed")]
    [TestCase("javascript:alert(1)", TestName = "Return_path_to_another_site_leads_home_instead_when_a_script")]
    [TestCase("/\tevil", TestName = "Return_path_to_another_site_leads_home_instead_when_holding_control_characters")]
    public async Task Return_path_to_another_site_leads_home_instead(string retour)
    {
        using var browser = _app.Browser();
        using var response = await GatewayApp.SignInAsync(browser, Sandbox.AdminLogin, Sandbox.PasswordOf(Sandbox.AdminLogin), retour);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/"));
    }

    [Test]
    public async Task Sign_out_from_a_page_of_the_site_ends_the_session()
    {
        using var browser = _app.Browser();
        (await GatewayApp.SignInAsync(browser, Sandbox.AdminLogin, Sandbox.PasswordOf(Sandbox.AdminLogin))).Dispose();
        using (var signedIn = await browser.GetAsync("/api/v1/categories"))
        {
            Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/deconnexion");
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var response = await browser.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/connexion"));
        using var after = await browser.GetAsync("/api/v1/categories");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("cross-site", null, TestName = "Sign_out_from_another_site_is_refused_when_the_browser_says_cross_site")]
    [TestCase(null, "https://evil.example", TestName = "Sign_out_from_another_site_is_refused_when_the_origin_is_another_host")]
    [TestCase(null, null, TestName = "Sign_out_from_another_site_is_refused_when_nothing_says_where_it_comes_from")]
    public async Task Sign_out_from_another_site_is_refused(string? fetchSite, string? origin)
    {
        using var browser = _app.Browser();
        (await GatewayApp.SignInAsync(browser, Sandbox.AdminLogin, Sandbox.PasswordOf(Sandbox.AdminLogin))).Dispose();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/deconnexion");
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await browser.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Déconnexion refusée"));
        using var still = await browser.GetAsync("/api/v1/categories");
        Assert.That(still.StatusCode, Is.EqualTo(HttpStatusCode.OK), "still signed in");
    }

    [Test]
    public async Task Sign_out_with_an_Origin_of_this_host_is_accepted()
    {
        using var browser = _app.Browser();
        (await GatewayApp.SignInAsync(browser, Sandbox.AdminLogin, Sandbox.PasswordOf(Sandbox.AdminLogin))).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/deconnexion");
        request.Headers.Add("Origin", "https://localhost");

        using var response = await browser.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
    }

    [Test]
    public async Task Session_cookie_is_not_forwarded_but_the_portals_own_cookies_are()
    {
        using var browser = _app.Browser();
        (await GatewayApp.SignInAsync(browser, Sandbox.CollegeLogin, Sandbox.PasswordOf(Sandbox.CollegeLogin))).Dispose();
        var path = $"/demandes/{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", "portail-antiforgery=abc123");

        using var response = await browser.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var forwarded = _app.Forwarded(path).Single().RequestMessage;
        var cookies = string.Join("; ", forwarded.Headers!.TryGetValue("Cookie", out var values) ? values : []);
        Assert.That(cookies, Does.Contain("portail-antiforgery=abc123"));
        Assert.That(cookies, Does.Not.Contain("__Host-TicketHub"));
        Assert.That(cookies, Does.Not.Contain("TicketHub-Antiforgery"));
        Assert.That(forwarded.Headers["Authorization"].Single(), Does.StartWith("Bearer "), "the portal learns who it is from the token");
    }

    [Test]
    public async Task Sign_in_page_offers_nothing_but_a_local_path_as_return()
    {
        using var browser = _app.Browser();
        using var response = await browser.GetAsync("/connexion?retour=" + Uri.EscapeDataString("https://evil.example/"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(Regex.Match(html, "name=\"retour\" value=\"([^\"]*)\"").Groups[1].Value, Is.EqualTo("/"));
    }
}

/// <summary>A session follows its account: disabling the account ends it at the next request.</summary>
public sealed class SessionTests
{
    [Test]
    public async Task Session_of_an_account_disabled_meanwhile_is_refused_at_its_next_request()
    {
        using var app = new GatewayApp();
        using var browser = app.Browser();
        (await GatewayApp.SignInAsync(browser, "technicien", Sandbox.PasswordOf("technicien"))).Dispose();
        using (var before = await browser.GetAsync("/api/v1/categories"))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE accounts SET disabled = 1 WHERE login = 'technicien'";
            Assert.That(command.ExecuteNonQuery(), Is.EqualTo(1));
        }

        using var after = await browser.GetAsync("/api/v1/categories");

        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Session_cookie_copied_before_sign_out_opens_nothing_afterwards()
    {
        using var app = new GatewayApp();
        using var browser = app.Browser();
        string copied;
        using (var signIn = await GatewayApp.SignInAsync(browser, "technicien", Sandbox.PasswordOf("technicien")))
        {
            copied = SessionCookie(signIn);
        }

        using (var before = await Replay(app, copied))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the copy works while the session is open");
        }

        using (var signOut = new HttpRequestMessage(HttpMethod.Post, "/deconnexion"))
        {
            signOut.Headers.Add("Sec-Fetch-Site", "same-origin");
            (await browser.SendAsync(signOut)).Dispose();
        }

        using var after = await Replay(app, copied);

        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Session_cookie_holds_no_identity_only_a_reference_to_the_gateways_session()
    {
        using var app = new GatewayApp();
        using var browser = app.Browser();
        using var signIn = await GatewayApp.SignInAsync(browser, "technicien", Sandbox.PasswordOf("technicien"));

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT subject FROM sessions";
        Assert.That(command.ExecuteScalar(), Is.EqualTo("technicien"));
        Assert.That(SessionCookie(signIn), Has.Length.LessThan(600), "the cookie carries an id, not the claims");
    }

    private static string SessionCookie(HttpResponseMessage signIn) =>
        string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("__Host-TicketHub=", StringComparison.Ordinal)).Select(c => c.Split(';')[0]));

    private static async Task<HttpResponseMessage> Replay(GatewayApp app, string cookie)
    {
        using var client = app.WithKey(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/categories");
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }
}
