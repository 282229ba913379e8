using System.Net;
using System.Security.Claims;
using TicketHub.Gateway.Identity.Oidc;
using TicketHub.ServiceDefaults.Security;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TicketHub.Gateway.Tests;

/// <summary>
/// OpenID Connect: how a provider's claims become a TicketHub user (or a refusal), and that
/// <c>/connexion/oidc</c> sends the browser to the provider named by its discovery document.
/// </summary>
public sealed class OidcTests
{
    private static OidcSettings Settings(params (string Provider, string Hub)[] map)
    {
        var settings = new OidcSettings { Authority = "https://idp.example", ClientId = "tickethub", RoleClaim = "groups", UaiClaim = "rne", NameClaim = "displayname" };
        foreach (var (provider, hub) in map)
        {
            settings.RoleMap[provider] = hub;
        }

        return settings;
    }

    private static ClaimsPrincipal Person(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "oidc"));

    [Test]
    public void Provider_group_mapped_to_college_with_one_UAI_becomes_a_college_user()
    {
        var mapping = OidcClaimMapper.Map(
            Person(("sub", "abc-123"), ("groups", "ETAB-SECRETARIAT"), ("rne", "0931234x"), ("displayname", "Claire Martin")),
            Settings(("etab-secretariat", "college")));

        Assert.That(mapping.User, Is.EqualTo(new HubUser("oidc:abc-123", "Claire Martin", HubRoles.College, "0931234X", false)));
    }

    [Test]
    public void Person_whose_groups_map_to_no_role_is_refused_in_French()
    {
        var mapping = OidcClaimMapper.Map(Person(("sub", "abc"), ("groups", "eleves")), Settings(("dsi", "admin")));

        Assert.That(mapping.User, Is.Null);
        Assert.That(mapping.Refusal, Does.Contain("n'a pas de rôle dans TicketHub"));
    }

    [TestCase(null, TestName = "College_user_without_exactly_one_valid_UAI_is_refused_when_it_has_none")]
    [TestCase("93", TestName = "College_user_without_exactly_one_valid_UAI_is_refused_when_it_is_malformed")]
    public void College_user_without_exactly_one_valid_UAI_is_refused(string? uai)
    {
        var claims = new List<(string, string)> { ("sub", "abc"), ("groups", "secretariat") };
        if (uai is not null)
        {
            claims.Add(("rne", uai));
        }

        var mapping = OidcClaimMapper.Map(Person([.. claims]), Settings(("secretariat", "college")));

        Assert.That(mapping.User, Is.Null);
        Assert.That(mapping.Refusal, Does.Contain("UAI"));
    }

    [Test]
    public void College_user_attached_to_two_colleges_is_refused()
    {
        var mapping = OidcClaimMapper.Map(Person(("sub", "abc"), ("groups", "secretariat"), ("rne", "0931234X"), ("rne", "0931235A")), Settings(("secretariat", "college")));

        Assert.That(mapping.Refusal, Does.Contain("plusieurs collèges"));
    }

    [Test]
    public void Several_mapped_groups_give_the_widest_role()
    {
        var mapping = OidcClaimMapper.Map(Person(("sub", "abc"), ("groups", "tech"), ("groups", "pole-tie")), Settings(("tech", "infogerant"), ("pole-tie", "dispatcher")));

        Assert.That(mapping.User!.Role, Is.EqualTo(HubRoles.Dispatcher));
        Assert.That(mapping.User.Uai, Is.Null);
    }

    [Test]
    public void Without_a_role_map_a_provider_value_that_names_a_role_is_taken_as_is()
    {
        var mapping = OidcClaimMapper.Map(Person(("sub", "abc"), ("groups", "rectorat"), ("groups", "autre")), Settings());

        Assert.That(mapping.User!.Role, Is.EqualTo(HubRoles.Rectorat));
        Assert.That(mapping.User.Name, Is.EqualTo("abc"), "no name claim: the subject");
    }

    [Test]
    public void Person_without_a_subject_is_refused()
    {
        var mapping = OidcClaimMapper.Map(Person(("groups", "admin")), Settings());

        Assert.That(mapping.User, Is.Null);
    }

    [Test]
    public async Task Sign_in_with_the_provider_redirects_to_its_authorization_endpoint_with_PKCE()
    {
        using var provider = WireMockServer.Start();
        var authority = provider.Url!;
        provider.Given(Request.Create().WithPath("/.well-known/openid-configuration").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody($$"""
                {
                  "issuer": "{{authority}}",
                  "authorization_endpoint": "{{authority}}/authorize",
                  "token_endpoint": "{{authority}}/token",
                  "jwks_uri": "{{authority}}/jwks",
                  "response_types_supported": ["code"],
                  "subject_types_supported": ["public"],
                  "id_token_signing_alg_values_supported": ["RS256"]
                }
                """));
        provider.Given(Request.Create().WithPath("/jwks").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"keys":[]}"""));
        using var app = new GatewayApp(new Dictionary<string, string?>
        {
            ["Identity:Oidc:Authority"] = authority,
            ["Identity:Oidc:ClientId"] = "tickethub-portail",
            ["Identity:Oidc:RequireHttpsMetadata"] = "false",
            ["Identity:Oidc:Scopes"] = "openid profile uai",
            ["Identity:Oidc:DisplayName"] = "le compte ENT",
        });
        using var browser = app.Browser();

        using var page = await browser.GetAsync("/connexion?retour=%2Fdemandes");
        using var challenge = await browser.GetAsync("/connexion/oidc?retour=%2Fdemandes");

        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("Se connecter avec le compte ENT").And.Contain("/connexion/oidc?retour=%2Fdemandes"));
        Assert.That(challenge.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var location = challenge.Headers.Location!;
        Assert.That(location.GetLeftPart(UriPartial.Path), Is.EqualTo($"{authority}/authorize"));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        Assert.Multiple(() =>
        {
            Assert.That(query["client_id"].ToString(), Is.EqualTo("tickethub-portail"));
            Assert.That(query["response_type"].ToString(), Is.EqualTo("code"));
            Assert.That(query["scope"].ToString(), Is.EqualTo("openid profile uai"));
            Assert.That(query["redirect_uri"].ToString(), Is.EqualTo("https://localhost/signin-oidc"));
            Assert.That(query["code_challenge_method"].ToString(), Is.EqualTo("S256"));
            Assert.That(query["state"].ToString(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task Without_a_provider_configured_the_provider_sign_in_is_a_French_404_page()
    {
        using var app = new GatewayApp();
        using var browser = app.Browser();

        using var response = await browser.GetAsync("/connexion/oidc");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("est pas configurée"));
    }
}
