using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Gateway.Identity.Accounts;
using TicketHub.Gateway.Identity.ApiKeys;

namespace TicketHub.Gateway.Tests;

/// <summary>The seed file: imported once, hashed at rest, never logged, refused when wrong.</summary>
public sealed class SeedTests
{
    private static List<string> TextInTables(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var values = new List<string>();
        foreach (var table in new[] { "accounts", "api_keys" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    values.Add(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!);
                }
            }
        }

        return values;
    }

    [Test]
    public async Task Database_holds_no_password_and_no_API_key_secret_and_the_log_names_none()
    {
        using var app = new GatewayApp();
        using (var client = app.WithKey(Sandbox.AdminKey))
        using (var response = await client.GetAsync("/api/v1/categories"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the key works although only its hash is stored");
        }

        var stored = string.Join("\n", TextInTables(app.DatabasePath));
        var logged = string.Join("\n", app.Logs.Lines);
        Assert.That(stored, Does.Contain("secretariat.0931234x"), "the accounts are there");
        foreach (var secret in Sandbox.AllSecrets)
        {
            var secretPart = secret.StartsWith("thk_", StringComparison.Ordinal) ? secret[(secret.LastIndexOf('_') + 1)..] : secret;
            Assert.That(stored, Does.Not.Contain(secretPart), "no plain secret in the database");
            Assert.That(logged, Does.Not.Contain(secretPart), "no plain secret in the log");
        }

        Assert.That(stored, Does.Contain(ApiKeyFormat.Hash(Sandbox.AdminKey[(Sandbox.AdminKey.LastIndexOf('_') + 1)..])), "the SHA-256 of the secret");
        Assert.That(logged, Does.Contain("8 of 8 accounts and 6 of 6 API keys created"));
    }

    [Test]
    public async Task Importing_the_seed_again_creates_nothing_more_and_keeps_the_accounts()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-seed-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "gateway.db")}" };
            using (var first = new GatewayApp(settings))
            {
                first.Services.GetRequiredService<AccountStore>();
            }

            using var second = new GatewayApp(settings);
            using var browser = second.Browser();
            using var response = await GatewayApp.SignInAsync(browser, Sandbox.AdminLogin, Sandbox.PasswordOf(Sandbox.AdminLogin));

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
            Assert.That(string.Join("\n", second.Logs.Lines), Does.Contain("0 of 8 accounts and 0 of 6 API keys created"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TicketHub.Testing.TempFolder.Delete(folder);
        }
    }

    [Test]
    public async Task Seed_accepts_hashed_secrets_and_applies_disabled_accounts_and_revoked_keys()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-seed-").FullName;
        try
        {
            var hash = new PasswordHasher<LocalAccount>().HashPassword(null!, "mot-de-passe-haché");
            var liveKey = ApiKeyFormat.New("hashedkey");
            ApiKeyFormat.TryParse(liveKey, out _, out var liveSecret);
            var revokedKey = ApiKeyFormat.New("revokedkey");
            var seed = Path.Combine(folder, "seed.json");
            await File.WriteAllTextAsync(seed, $$"""
                {
                  "notice": "test",
                  "accounts": [
                    { "login": "Hache", "displayName": "Compte haché", "role": "dispatcher", "passwordHash": "{{hash}}" },
                    { "login": "desactive", "displayName": "Compte désactivé", "role": "admin", "password": "mot-de-passe-ok", "disabled": true }
                  ],
                  "apiKeys": [
                    { "name": "Haché", "role": "infogerant", "id": "hashedkey", "secretSha256": "{{ApiKeyFormat.Hash(liveSecret!)}}" },
                    { "name": "Révoquée", "role": "admin", "key": "{{revokedKey}}", "revoked": true }
                  ]
                }
                """);
            using var app = new GatewayApp(new Dictionary<string, string?> { ["Identity:SeedFile"] = seed });
            using var browser = app.Browser();

            using var hashed = await GatewayApp.SignInAsync(browser, "hache", "mot-de-passe-haché");
            using var disabled = await GatewayApp.SignInAsync(app.Browser(), "desactive", "mot-de-passe-ok");
            using var live = await app.WithKey(liveKey).GetAsync("/api/v1/categories");
            using var revoked = await app.WithKey(revokedKey).GetAsync("/api/v1/categories");

            Assert.Multiple(() =>
            {
                Assert.That(hashed.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
                Assert.That(disabled.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a disabled account cannot sign in");
                Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TicketHub.Testing.TempFolder.Delete(folder);
        }
    }

    [TestCase("""{ "accounts": [ { "login": "x", "displayName": "X", "role": "college", "password": "secret-de-test-1" } ] }""", "un compte collège doit porter un code UAI valide", TestName = "Bad_seed_file_stops_the_start_naming_the_entry_when_a_college_lacks_its_UAI")]
    [TestCase("""{ "accounts": [ { "login": "x", "displayName": "X", "role": "chef", "password": "secret-de-test-1" } ] }""", "rôle inconnu « chef »", TestName = "Bad_seed_file_stops_the_start_naming_the_entry_when_a_role_is_unknown")]
    [TestCase("""{ "accounts": [ { "login": "x", "displayName": "X", "role": "admin", "uai": "0931234X", "password": "secret-de-test-1" } ] }""", "seul un compte collège porte un code UAI", TestName = "Bad_seed_file_stops_the_start_naming_the_entry_when_a_non_college_has_a_UAI")]
    [TestCase("""{ "apiKeys": [ { "name": "K", "role": "admin", "key": "thk_k1_secret-de-test-trop-court" } ] }""", "n'a pas le format", TestName = "Bad_seed_file_stops_the_start_naming_the_entry_when_a_key_is_malformed")]
    [TestCase("""{ "accounts": [ { "login": "x", "displayName": "X", "role": "admin", "passwd": "secret-de-test-1" } ] }""", "passwd", TestName = "Bad_seed_file_stops_the_start_naming_the_entry_when_a_field_is_misspelt")]
    public void Bad_seed_file_stops_the_start_naming_the_entry(string json, string expected)
    {
        var folder = Directory.CreateTempSubdirectory("gateway-seed-").FullName;
        try
        {
            var seed = Path.Combine(folder, "seed.json");
            File.WriteAllText(seed, json);
            using var app = new GatewayApp(new Dictionary<string, string?> { ["Identity:SeedFile"] = seed });

            var error = Assert.Catch(() => app.CreateClient());

            Assert.That(error!.ToString(), Does.Contain("Identity:SeedFile").And.Contain(expected));
            Assert.That(error.ToString(), Does.Not.Contain("secret-de-test"), "the message never shows a secret");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TicketHub.Testing.TempFolder.Delete(folder);
        }
    }

    [Test]
    public void Gateway_without_a_signing_key_refuses_to_start_and_says_which_setting_is_missing()
    {
        using var app = new GatewayApp(new Dictionary<string, string?>
        {
            ["Identity:Token:SigningKey"] = "",
            ["Identity:Token:SigningKeyFile"] = "",
        });

        var error = Assert.Catch(() => app.CreateClient());

        Assert.That(error!.ToString(), Does.Contain("Identity:Token:SigningKey"));
    }
}
