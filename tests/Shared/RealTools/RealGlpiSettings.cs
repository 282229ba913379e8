namespace TicketHub.Testing;

/// <summary>
/// The real GLPI the connector's tests run against: deploy/peers.sh's (<see cref="PeerTools.Glpi"/>,
/// its <c>run/glpi.json</c>) when it has written one, else the environment
/// (<c>TICKETHUB_GLPI_URL</c>, <c>TICKETHUB_GLPI_APP_TOKEN</c>, <c>TICKETHUB_GLPI_USER_TOKEN</c>), else
/// the fixtures documented for the peers (the same ids and tokens after every reinstall).
/// </summary>
public static class RealGlpiSettings
{
    private static readonly Lazy<RealGlpi> Loaded = new(Load);

    public static RealGlpi Current => Loaded.Value;

    /// <summary>The connector's settings (<c>Glpi:…</c>) for this GLPI: its address and tokens, each collège's entity, the hub category <paramref name="hubCategory"/> as "Matériel".</summary>
    public static Dictionary<string, string?> ConnectorSettings(this RealGlpi glpi, string hubCategory = "imprimante")
    {
        var settings = new Dictionary<string, string?>
        {
            ["Glpi:BaseUrl"] = glpi.Api,
            ["Glpi:PublicUrl"] = glpi.PublicUrl,
            ["Glpi:AppToken"] = glpi.AppToken,
            ["Glpi:UserToken"] = glpi.UserToken,
            ["Glpi:TimeZone"] = "Europe/Paris",
            [$"Glpi:Mapping:Categories:{hubCategory}"] = glpi.Categories["Matériel"].ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var entity in glpi.Entities)
        {
            settings[$"Glpi:Mapping:Entities:{entity.Uai}"] = entity.EntitiesId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private static RealGlpi Load()
    {
        if (File.Exists(Path.Combine(PeerTools.RunFolder, "glpi.json")))
        {
            return PeerTools.Glpi;
        }

        var api = Environment.GetEnvironmentVariable("TICKETHUB_GLPI_URL") is { Length: > 0 } url ? url : "http://127.0.0.1:8092/apirest.php";
        return new RealGlpi(
            api,
            api.Replace("/apirest.php", "", StringComparison.Ordinal),
            Environment.GetEnvironmentVariable("TICKETHUB_GLPI_APP_TOKEN") is { Length: > 0 } app ? app : "0dbfc9978d747197f4a633004d51578de1bcf8d2",
            Environment.GetEnvironmentVariable("TICKETHUB_GLPI_USER_TOKEN") is { Length: > 0 } user ? user : "ad38423fa76319d5f3b341e65f5d2c62175588c8",
            AdminUserToken: "",
            HubApiUsersId: 10,
            [
                new RealGlpiEntity("Collège Jean Moulin", "0931234X", 1, 7, "claire.dubois@0931234x.example.fr"),
                new RealGlpiEntity("Collège Louise Michel", "0931235A", 2, 8, "karim.benali@0931235a.example.fr"),
                new RealGlpiEntity("Collège Paul Éluard", "0931236B", 3, 9, "sophie.lefevre@0931236b.example.fr"),
            ],
            new Dictionary<string, int> { ["Matériel"] = 1, ["Réseau"] = 2 });
    }
}
