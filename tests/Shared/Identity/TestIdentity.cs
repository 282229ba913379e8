using System.Net.Http.Headers;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Testing;

/// <summary>
/// Stands in for the gateway in a service's tests: one key pair per test run, the settings that
/// make a service trust it, and tokens for any user. A service under test sees exactly what the
/// gateway would send; nothing in the service is switched off.
/// </summary>
public static class TestIdentity
{
    private static readonly Lazy<(string Private, string Public)> Keys = new(InternalTokens.NewKeyPair);

    public static string PrivateKeyPem => Keys.Value.Private;

    public static string PublicKeyPem => Keys.Value.Public;

    /// <summary>The configuration a service needs to trust the test "gateway".</summary>
    public static IReadOnlyDictionary<string, string?> ServiceSettings { get; } = new Dictionary<string, string?>
    {
        [$"{InternalTokenOptions.SectionName}:PublicKey"] = PublicKeyPem,
    };

    /// <summary>The configuration of a gateway that signs with the test key.</summary>
    public static IReadOnlyDictionary<string, string?> GatewaySettings { get; } = new Dictionary<string, string?>
    {
        [$"{InternalTokenOptions.SectionName}:PublicKey"] = PublicKeyPem,
        [$"{InternalTokenOptions.SectionName}:SigningKey"] = PrivateKeyPem,
    };

    public static HubUser Admin { get; } = new("test-admin", "Admin de test", HubRoles.Admin, null, false);

    public static HubUser Dispatcher { get; } = new("test-dispatcher", "Aiguilleur de test", HubRoles.Dispatcher, null, false);

    public static HubUser Infogerant { get; } = new("test-infogerant", "Technicien de test", HubRoles.Infogerant, null, false);

    public static HubUser Rectorat { get; } = new("test-rectorat", "Agent du Rectorat de test", HubRoles.Rectorat, null, false);

    public static HubUser Omere { get; } = new("test-omere", "Agent Omère de test", HubRoles.Omere, null, false);

    public static HubUser College(string uai, string? name = null) =>
        new($"test-college-{uai}", name ?? $"Secrétariat {uai}", HubRoles.College, uai, false);

    /// <summary>A user of each role (the collège one bound to <paramref name="uai"/>).</summary>
    public static IReadOnlyList<HubUser> OneOfEachRole(string uai) => [College(uai), Infogerant, Rectorat, Omere, Dispatcher, Admin];

    /// <summary>A valid token for <paramref name="user"/>, as the gateway would mint it.</summary>
    public static string TokenFor(HubUser user, TimeSpan? lifetime = null)
    {
        var options = new InternalTokenOptions { SigningKey = PrivateKeyPem, Lifetime = lifetime ?? TimeSpan.FromMinutes(5) };
        return InternalTokens.Issue(user, options, InternalTokens.LoadSigningKey(options), DateTimeOffset.UtcNow);
    }

    /// <summary>Sets (or, with null, removes) the bearer token on <paramref name="client"/>.</summary>
    public static HttpClient ActingAs(this HttpClient client, HubUser? user)
    {
        client.DefaultRequestHeaders.Authorization = user is null ? null : new AuthenticationHeaderValue("Bearer", TokenFor(user));
        return client;
    }

    /// <summary>Adds <paramref name="user"/>'s token to one request.</summary>
    public static HttpRequestMessage As(this HttpRequestMessage request, HubUser user)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(user));
        return request;
    }
}
