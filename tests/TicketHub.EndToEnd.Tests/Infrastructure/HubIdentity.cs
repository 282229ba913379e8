using System.Text.Json.Nodes;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Identity for a running hub: the gateway's key pair written as PEM files in the run's folder (the
/// gateway signs with the private key, every service checks with the public one), and the sandbox
/// accounts and API keys the gateway imports (deploy/sandbox/identity.json), for the tests to use.
/// </summary>
internal sealed class HubIdentity
{
    private readonly JsonObject _seed;

    public HubIdentity(string folder)
    {
        var (privatePem, publicPem) = InternalTokens.NewKeyPair();
        SigningKeyFile = Path.Combine(folder, "gateway-signing.pem");
        PublicKeyFile = Path.Combine(folder, "gateway-public.pem");
        File.WriteAllText(SigningKeyFile, privatePem);
        File.WriteAllText(PublicKeyFile, publicPem);
        DataProtectionFolder = Path.Combine(folder, "gateway-keys");
        _seed = JsonNode.Parse(File.ReadAllText(SeedFile))!.AsObject();
    }

    public static string SeedFile { get; } = Path.Combine(RepositoryLayout.Root, "deploy", "sandbox", "identity.json");

    public string SigningKeyFile { get; }

    public string PublicKeyFile { get; }

    public string DataProtectionFolder { get; }

    /// <summary>The sandbox key of <paramref name="role"/> (the collège one is bound to 0931234X).</summary>
    public string KeyFor(string role) =>
        _seed["apiKeys"]!.AsArray().First(k => k!["role"]!.GetValue<string>() == role)!["key"]!.GetValue<string>();

    public string AdminKey => KeyFor(HubRoles.Admin);

    /// <summary>The sandbox accounts: login, role, UAI (collège only), password.</summary>
    public IReadOnlyList<(string Login, string Role, string? Uai, string Password)> Users =>
        _seed["accounts"]!.AsArray().Select(a => (
            a!["login"]!.GetValue<string>(),
            a["role"]!.GetValue<string>(),
            a["uai"]?.GetValue<string>(),
            a["password"]!.GetValue<string>())).ToList();

    /// <summary>What every service needs to check the gateway's token.</summary>
    public (string Key, string Value) ServiceSetting => ("Identity__Token__PublicKeyFile", PublicKeyFile);

    /// <summary>The gateway's identity settings, with its own database file.</summary>
    public Dictionary<string, string> GatewaySettings(string databaseFile) => new()
    {
        ["Identity__Token__SigningKeyFile"] = SigningKeyFile,
        ["Identity__SeedFile"] = SeedFile,
        ["Identity__DataProtectionKeysFolder"] = DataProtectionFolder,
        ["Database__ConnectionString"] = $"Data Source={databaseFile}",
    };

    /// <summary>How the GLPI and iTop connectors fetch attachments: through the gateway with the infogérant's key.</summary>
    public (string Key, string Value)[] ConnectorSettings(Uri gateway) =>
    [
        ("Intake__BaseUrl", gateway.ToString().TrimEnd('/')),
        ("Intake__ApiKey", KeyFor(HubRoles.Infogerant)),
    ];

    /// <summary>
    /// Intake's notifications (issue 15) through <paramref name="mail"/>, the real SMTP server, whose
    /// Maildir also receives the replies; links to <paramref name="gateway"/>, signed with a key made for the run.
    /// </summary>
    public static (string Key, string Value)[] NotificationSettings(TicketHub.Testing.SmtpMailbox mail, Uri gateway) =>
    [
        ("Notifications__Smtp__Host", "127.0.0.1"),
        ("Notifications__Smtp__Port", mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Notifications__Smtp__Security", "None"),
        ("Notifications__PortalUrl", gateway.ToString().TrimEnd('/')),
        ("Notifications__SigningKey", Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))),
        ("Notifications__ReplyAddress", "reponses@tickethub.invalid"),
        ("Notifications__ReplyMaildir", mail.Maildir),
        ("Notifications__ReplyPollInterval", "00:00:01"),
    ];

    /// <summary>Intake's creation limits, raised for tests that submit thousands of tickets with one key.</summary>
    public static (string Key, string Value)[] HighCreationLimits =>
    [
        ("TicketCreation__RateLimit__PerKeyPerSecond", "100000"),
        ("TicketCreation__RateLimit__PerPersonPerMinute", "1000"),
        // The chaos run and the soak file thousands of tickets with one key, for a few collèges.
        ("TicketCreation__Quota__TicketsPerCollegePerDay", "1000000"),
        ("TicketCreation__Quota__TicketsPerCallerPerDay", "1000000"),
    ];
}
