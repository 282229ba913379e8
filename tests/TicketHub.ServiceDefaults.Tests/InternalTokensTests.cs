using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>The gateway's internal token: what the gateway issues, every service accepts, and nothing else.</summary>
public class InternalTokensTests
{
    private static readonly InternalTokenOptions Options = new() { PublicKey = TestIdentity.PublicKeyPem, SigningKey = TestIdentity.PrivateKeyPem };

    private static string Issue(HubUser user, InternalTokenOptions? options = null, DateTimeOffset? at = null)
    {
        options ??= Options;
        return InternalTokens.Issue(user, options, InternalTokens.LoadSigningKey(options), at ?? DateTimeOffset.UtcNow);
    }

    private static Task<TokenValidationResult> ValidateAsync(string token) =>
        new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, InternalTokens.ValidationParameters(Options, InternalTokens.LoadPublicKey(Options)));

    private static HubUser? UserOf(TokenValidationResult result) => HubUser.From(new ClaimsPrincipal(result.ClaimsIdentity));

    public static IEnumerable<TestCaseData> Users()
    {
        yield return new TestCaseData(TestIdentity.College("0931234X", "Secrétariat Jean Moulin")).SetName("A_college_user_with_its_UAI_round_trips");
        yield return new TestCaseData(TestIdentity.Admin).SetName("An_administrator_round_trips");
        yield return new TestCaseData(new HubUser("cle-glpi", "Connecteur GLPI", HubRoles.Infogerant, null, IsApiKey: true)).SetName("An_API_key_round_trips_as_a_key");
        yield return new TestCaseData(new HubUser("zoë", "Zoë Ørsted-Ñúñez 😀", HubRoles.Dispatcher, null, false)).SetName("A_name_beyond_ASCII_round_trips");
    }

    [TestCaseSource(nameof(Users))]
    public async Task Issued_then_validated(HubUser user)
    {
        var result = await ValidateAsync(Issue(user));

        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        Assert.That(UserOf(result), Is.EqualTo(user));
    }

    [Test]
    public async Task The_token_says_who_issued_it_for_whom_and_lives_as_long_as_configured()
    {
        var now = DateTimeOffset.UtcNow;
        var options = new InternalTokenOptions { SigningKey = TestIdentity.PrivateKeyPem, Lifetime = TimeSpan.FromMinutes(2) };

        var token = new JsonWebToken(Issue(TestIdentity.Dispatcher, options, now));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(token.Issuer, Is.EqualTo("tickethub-gateway"));
            Assert.That(token.Audiences, Is.EqualTo(new[] { "tickethub" }));
            Assert.That(token.Alg, Is.EqualTo("ES256"));
            Assert.That(token.ValidTo, Is.EqualTo(now.AddMinutes(2).UtcDateTime).Within(TimeSpan.FromSeconds(1)));
            Assert.That(token.GetClaim("kind").Value, Is.EqualTo("person"));
            Assert.That(token.TryGetClaim("uai", out _), Is.False, "only a collège user carries a UAI");
        }
    }

    [Test]
    public async Task An_expired_token_is_refused()
    {
        var result = await ValidateAsync(Issue(TestIdentity.Admin, at: DateTimeOffset.UtcNow.AddMinutes(-6)));

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Exception, Is.InstanceOf<SecurityTokenExpiredException>());
    }

    [Test]
    public async Task A_token_expired_within_the_30_second_clock_skew_is_still_accepted()
    {
        var result = await ValidateAsync(Issue(TestIdentity.Admin, at: DateTimeOffset.UtcNow.AddMinutes(-5).AddSeconds(-10)));

        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
    }

    [Test]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var other = new InternalTokenOptions { SigningKey = InternalTokens.NewKeyPair().PrivatePem };

        var result = await ValidateAsync(Issue(TestIdentity.Admin, other));

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Exception, Is.InstanceOf<SecurityTokenSignatureKeyNotFoundException>().Or.InstanceOf<SecurityTokenInvalidSignatureException>());
    }

    [TestCase("un-autre-service", null, TestName = "A_token_for_another_audience_is_refused")]
    [TestCase(null, "quelqu-un-d-autre", TestName = "A_token_from_another_issuer_is_refused")]
    public async Task Refused_claims(string? audience, string? issuer)
    {
        var options = new InternalTokenOptions
        {
            SigningKey = TestIdentity.PrivateKeyPem,
            Audience = audience ?? InternalTokenOptions.DefaultAudience,
            Issuer = issuer ?? InternalTokenOptions.DefaultIssuer,
        };

        var result = await ValidateAsync(Issue(TestIdentity.Admin, options));

        Assert.That(result.IsValid, Is.False);
    }

    [Test]
    public async Task An_unsigned_token_is_refused()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var unsigned = $"{Part("""{"alg":"none","typ":"JWT"}""")}.{Part($$"""{"sub":"x","role":"admin","iss":"tickethub-gateway","aud":"tickethub","exp":{{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}""")}.";

        var result = await ValidateAsync(unsigned);

        Assert.That(result.IsValid, Is.False);
    }

    [Test]
    public async Task A_token_signed_with_a_shared_secret_is_refused()
    {
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(new string('s', 64)));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = InternalTokenOptions.DefaultIssuer,
            Audience = InternalTokenOptions.DefaultAudience,
            Subject = new ClaimsIdentity(TestIdentity.Admin.ToClaims()),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(secret, SecurityAlgorithms.HmacSha256),
        });

        var result = await ValidateAsync(token);

        Assert.That(result.IsValid, Is.False);
    }

    [Test]
    public void A_missing_public_key_names_the_settings_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => InternalTokens.LoadPublicKey(new InternalTokenOptions()));

        Assert.That(error!.Message, Does.Contain("Identity:Token:PublicKey").And.Contain("Identity:Token:PublicKeyFile"));
    }

    [Test]
    public void A_public_key_file_that_does_not_exist_is_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => InternalTokens.LoadPublicKey(new InternalTokenOptions { PublicKeyFile = "/nulle/part/cle.pem" }));

        Assert.That(error!.Message, Does.Contain("/nulle/part/cle.pem"));
    }

    [Test]
    public async Task The_public_key_can_come_from_a_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, TestIdentity.PublicKeyPem);

            var key = InternalTokens.LoadPublicKey(new InternalTokenOptions { PublicKeyFile = file });

            Assert.That(key.KeyId, Is.EqualTo(InternalTokens.LoadPublicKey(Options).KeyId));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
