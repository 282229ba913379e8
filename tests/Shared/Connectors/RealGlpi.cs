using System.Text.Json;

namespace TicketHub.Testing;

/// <summary>A collège of the real GLPI's fixtures: its entity and its requester user.</summary>
public sealed record RealGlpiEntity(string Uai, int EntityId, int RequesterUserId, string RequesterEmail);

/// <summary>
/// Where the real GLPI 10 of the tests runs and what its fixtures are (peers/README.md). Read from
/// <see cref="RunFile"/> (written by <c>deploy/peers.sh</c> when it starts GLPI: keys <c>api</c>,
/// <c>app_token</c>, <c>user_token</c>, <c>entities</c>, <c>categories</c>), else from the environment
/// (<c>TICKETHUB_GLPI_URL</c>, <c>TICKETHUB_GLPI_APP_TOKEN</c>, <c>TICKETHUB_GLPI_USER_TOKEN</c>),
/// else the peers' documented values. The one place the tests learn it.
/// </summary>
public sealed record RealGlpi(
    string ApiUrl,
    string AppToken,
    string UserToken,
    IReadOnlyList<RealGlpiEntity> Entities,
    IReadOnlyDictionary<string, int> Categories)
{
    public const string RunFile = "/opt/tickethub-peers/run/glpi.json";

    private static readonly Lazy<RealGlpi> Loaded = new(Load);

    public static RealGlpi Current => Loaded.Value;

    /// <summary>The fixture of the collège <paramref name="uai"/>.</summary>
    public RealGlpiEntity Entity(string uai) => Entities.Single(entity => string.Equals(entity.Uai, uai, StringComparison.OrdinalIgnoreCase));

    /// <summary>The connector's settings (<c>Glpi:…</c>) pointing at this GLPI, its collèges and categories mapped.</summary>
    public Dictionary<string, string?> ConnectorSettings(string hubCategory = "imprimante", string glpiCategory = "Matériel")
    {
        var settings = new Dictionary<string, string?>
        {
            ["Glpi:BaseUrl"] = ApiUrl,
            ["Glpi:PublicUrl"] = ApiUrl.Replace("/apirest.php", "", StringComparison.Ordinal),
            ["Glpi:AppToken"] = AppToken,
            ["Glpi:UserToken"] = UserToken,
            ["Glpi:TimeZone"] = "Europe/Paris",
            [$"Glpi:Mapping:Categories:{hubCategory}"] = Categories[glpiCategory].ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var entity in Entities)
        {
            settings[$"Glpi:Mapping:Entities:{entity.Uai}"] = entity.EntityId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private static RealGlpi Load()
    {
        if (File.Exists(RunFile))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(RunFile));
            var root = document.RootElement;
            return new RealGlpi(
                root.GetProperty("api").GetString()!,
                root.GetProperty("app_token").GetString()!,
                root.GetProperty("user_token").GetString()!,
                [.. root.GetProperty("entities").EnumerateArray().Select(entity => new RealGlpiEntity(
                    entity.GetProperty("uai").GetString()!,
                    entity.GetProperty("entities_id").GetInt32(),
                    entity.GetProperty("requester_users_id").GetInt32(),
                    entity.GetProperty("requester_email").GetString()!))],
                root.GetProperty("categories").EnumerateObject().ToDictionary(category => category.Name, category => category.Value.GetInt32()));
        }

        return new RealGlpi(
            Environment.GetEnvironmentVariable("TICKETHUB_GLPI_URL") ?? "http://127.0.0.1:8092/apirest.php",
            Environment.GetEnvironmentVariable("TICKETHUB_GLPI_APP_TOKEN") ?? "0dbfc9978d747197f4a633004d51578de1bcf8d2",
            Environment.GetEnvironmentVariable("TICKETHUB_GLPI_USER_TOKEN") ?? "ad38423fa76319d5f3b341e65f5d2c62175588c8",
            [
                new RealGlpiEntity("0931234X", 1, 7, "claire.dubois@0931234x.example.fr"),
                new RealGlpiEntity("0931235A", 2, 8, "karim.benali@0931235a.example.fr"),
                new RealGlpiEntity("0931236B", 3, 9, "sophie.lefevre@0931236b.example.fr"),
            ],
            new Dictionary<string, int> { ["Matériel"] = 1, ["Réseau"] = 2 });
    }
}
