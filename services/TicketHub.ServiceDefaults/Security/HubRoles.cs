namespace TicketHub.ServiceDefaults.Security;

/// <summary>
/// The roles of TicketHub. A person or an API key holds exactly one; a <see cref="College"/> is
/// bound to one UAI (<see cref="HubClaimTypes.Uai"/>).
/// </summary>
public static class HubRoles
{
    /// <summary>Staff of one collège: files and follows that collège's tickets only.</summary>
    public const string College = "college";

    /// <summary>The Département's infogérant: reads the tickets routed to GLPI or iTop.</summary>
    public const string Infogerant = "infogerant";

    /// <summary>Rectorat staff: the PASS tickets and PASS's relay queue.</summary>
    public const string Rectorat = "rectorat";

    /// <summary>The building service: the Omère tickets and Omère's relay queue.</summary>
    public const string Omere = "omere";

    /// <summary>The Pôle TIE dispatcher: reads every ticket, works the triage queue, re-routes.</summary>
    public const string Dispatcher = "dispatcher";

    /// <summary>Everything, including the registry, the rule set and the dead letters.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [College, Infogerant, Rectorat, Omere, Dispatcher, Admin];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);

    /// <summary>How a role is named to a person, in French.</summary>
    public static string FrenchName(string role) => role switch
    {
        College => "collège",
        Infogerant => "infogérant",
        Rectorat => "Rectorat",
        Omere => "service des bâtiments",
        Dispatcher => "Pôle TIE (aiguillage)",
        Admin => "administration",
        _ => role,
    };
}

/// <summary>The claims of the gateway's internal token (short names, as in a JWT).</summary>
public static class HubClaimTypes
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";

    /// <summary>The collège's UAI, for the <see cref="HubRoles.College"/> role only.</summary>
    public const string Uai = "uai";

    /// <summary><c>person</c> (signed in with a session) or <c>key</c> (an API key).</summary>
    public const string Kind = "kind";
}
