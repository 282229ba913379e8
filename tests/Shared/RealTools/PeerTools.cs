using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketHub.Testing;

/// <summary>A collège as the real GLPI knows it: its entity and a requester user of its own.</summary>
public sealed record RealGlpiEntity(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uai")] string Uai,
    [property: JsonPropertyName("entities_id")] int EntitiesId,
    [property: JsonPropertyName("requester_users_id")] int RequesterUsersId,
    [property: JsonPropertyName("requester_email")] string RequesterEmail);

/// <summary>The real GLPI 10 that <c>deploy/peers.sh</c> runs, as its <c>run/glpi.json</c> describes it.</summary>
public sealed record RealGlpi(
    [property: JsonPropertyName("api")] string Api,
    [property: JsonPropertyName("public_url")] string PublicUrl,
    [property: JsonPropertyName("app_token")] string AppToken,
    [property: JsonPropertyName("user_token")] string UserToken,
    [property: JsonPropertyName("admin_user_token")] string AdminUserToken,
    [property: JsonPropertyName("hub_api_users_id")] int HubApiUsersId,
    [property: JsonPropertyName("entities")] IReadOnlyList<RealGlpiEntity> Entities,
    [property: JsonPropertyName("categories")] IReadOnlyDictionary<string, int> Categories)
{
    public RealGlpiEntity Entity(string uai) => Entities.Single(entity => entity.Uai == uai);
}

/// <summary>A collège as the real iTop knows it: its organization and a caller of its own.</summary>
public sealed record RealItopOrg(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("org_id")] int OrgId,
    [property: JsonPropertyName("caller_id")] int CallerId,
    [property: JsonPropertyName("caller_email")] string? CallerEmail);

/// <summary>The service the collèges' contracts offer in the real iTop, with its subcategory for incidents and the one for requests.</summary>
public sealed record RealItopService(
    [property: JsonPropertyName("service_id")] int ServiceId,
    [property: JsonPropertyName("incident_subcategory_id")] int IncidentSubcategoryId,
    [property: JsonPropertyName("request_subcategory_id")] int RequestSubcategoryId);

/// <summary>The real iTop 3.2 (ITIL modules) that <c>deploy/peers.sh</c> runs, as its <c>run/itop.json</c> describes it.</summary>
public sealed record RealItop(
    [property: JsonPropertyName("rest")] string Rest,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("agent_user")] string AgentUser,
    [property: JsonPropertyName("agent_password")] string AgentPassword,
    [property: JsonPropertyName("team_id")] int TeamId,
    [property: JsonPropertyName("agent_id")] int AgentId,
    [property: JsonPropertyName("service")] RealItopService Service,
    [property: JsonPropertyName("orgs")] IReadOnlyList<RealItopOrg> Orgs)
{
    public RealItopOrg Org(string uai) => Orgs.Single(org => org.Code == uai);
}

/// <summary>
/// The real GLPI and iTop of this machine, started by <c>deploy/peers.sh</c> (tests/run.sh does it
/// first). A test that needs one and finds it missing fails with what to run: it is never skipped.
/// </summary>
public static class PeerTools
{
    private static readonly Lazy<RealGlpi> LazyGlpi = new(() => Load<RealGlpi>("glpi.json"));
    private static readonly Lazy<RealItop> LazyItop = new(() => Load<RealItop>("itop.json"));

    /// <summary>Where deploy/peers.sh keeps its run files (TICKETHUB_PEERS_ROOT, as for the script).</summary>
    public static string RunFolder { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("TICKETHUB_PEERS_ROOT") is { Length: > 0 } root ? root : "/opt/tickethub-peers", "run");

    public static RealGlpi Glpi => LazyGlpi.Value;

    public static RealItop Itop => LazyItop.Value;

    private static T Load<T>(string file)
    {
        var path = Path.Combine(RunFolder, file);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: start the real tools with 'deploy/peers.sh start all' (tests/run.sh does it).");
        }

        return JsonSerializer.Deserialize<T>(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"{path} is empty.");
    }
}
