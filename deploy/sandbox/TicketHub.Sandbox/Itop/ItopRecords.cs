using System.Globalization;

namespace TicketHub.Sandbox.Itop;

/// <summary>
/// A ticket of the emulated iTop: a UserRequest or, with the ITIL modules, an Incident (both share
/// Ticket's keys). Immutable: the store swaps whole records under its lock.
/// </summary>
internal sealed record ItopRequestRecord
{
    public required int Id { get; init; }

    /// <summary><see cref="ItopClassNames.UserRequest"/> or <see cref="ItopClassNames.Incident"/> (absent from older state files: UserRequest).</summary>
    public string Class { get; init; } = ItopClassNames.UserRequest;

    /// <summary>The number in <see cref="Ref"/>: counted per class, and consumed by a create that fails too.</summary>
    public int RefNumber { get; init; }

    public required int OrgId { get; init; }

    public required int CallerId { get; init; }

    public required string Title { get; init; }

    /// <summary>HTML, as iTop's description field holds it.</summary>
    public required string Description { get; init; }

    public string Status { get; init; } = ItopLifecycle.New;

    /// <summary>"1" critical .. "4" low.</summary>
    public string Urgency { get; init; } = "4";

    /// <summary>"1" a department, "2" a service, "3" a person.</summary>
    public string Impact { get; init; } = "3";

    /// <summary>UserRequest only: <c>service_request</c>, or <c>incident</c> in a "simple ticket" install.</summary>
    public string RequestType { get; init; } = "service_request";

    /// <summary><c>mail</c>, <c>monitoring</c>, <c>phone</c> or <c>portal</c>.</summary>
    public string Origin { get; init; } = "phone";

    public int ServiceId { get; init; }

    public int ServiceSubcategoryId { get; init; }

    public int AgentId { get; init; }

    /// <summary>HTML, as iTop 3 keeps it: text given without markup comes back in <c>&lt;p&gt;…&lt;/p&gt;</c>.</summary>
    public string Solution { get; init; } = "";

    public string PendingReason { get; init; } = "";

    public required DateTimeOffset StartDate { get; init; }

    public required DateTimeOffset LastUpdate { get; init; }

    public DateTimeOffset? AssignmentDate { get; init; }

    public DateTimeOffset? LastPendingDate { get; init; }

    public DateTimeOffset? ResolutionDate { get; init; }

    public DateTimeOffset? CloseDate { get; init; }

    /// <summary>Oldest entry first; entries are only ever appended.</summary>
    public IReadOnlyList<ItopLogEntryRecord> PublicLog { get; init; } = [];

    public IReadOnlyList<ItopLogEntryRecord> PrivateLog { get; init; } = [];

    /// <summary>iTop's human reference: <c>R-000012</c> for a UserRequest, <c>I-000012</c> for an Incident.</summary>
    public string Ref => string.Create(CultureInfo.InvariantCulture, $"{(Class == ItopClassNames.Incident ? "I" : "R")}-{(RefNumber == 0 ? Id : RefNumber):000000}");

    /// <summary>ITIL derives it from impact × urgency; the sandbox simply takes the urgency.</summary>
    public string Priority => Urgency;
}

/// <summary>The ticket classes of the emulated iTop, and how it is installed.</summary>
internal static class ItopClassNames
{
    public const string UserRequest = "UserRequest";

    /// <summary>Only with the ITIL modules (itop-incident-mgmt-itil), the default.</summary>
    public const string Incident = "Incident";

    /// <summary>The abstract parent of both: searchable, on its own attributes only; not creatable.</summary>
    public const string Ticket = "Ticket";

    /// <summary><c>Sandbox:Itop:TicketClasses</c>: iTop 3.2 with the ITIL modules.</summary>
    public const string Itil = "itil";

    /// <summary><c>Sandbox:Itop:TicketClasses</c>: the "simple ticket" install (UserRequest only, request_type incident or service_request).</summary>
    public const string Simple = "simple";
}

/// <summary>An entry of a case log; <paramref name="Format"/> is <c>text</c> or <c>html</c>.</summary>
internal sealed record ItopLogEntryRecord(DateTimeOffset Date, int UserId, string UserName, string Message, string Format);

/// <summary>The users of the emulated iTop who write in logs.</summary>
internal static class ItopUsers
{
    /// <summary>The REST account the connector logs in with.</summary>
    public const int RestAccount = 3;

    /// <summary>The technician played through the sandbox's pages.</summary>
    public const int Technician = 5;

    public static string Name(int id) => id switch
    {
        RestAccount => "Compte REST TicketHub",
        Technician => "Technicien Infogérant",
        _ => $"Utilisateur {id}",
    };
}

/// <summary>
/// The UserRequest lifecycle of iTop's ITIL request management, the part a technician uses:
/// states, stimuli, and what each stimulus needs.
/// </summary>
internal static class ItopLifecycle
{
    public const string New = "new";
    public const string Assigned = "assigned";
    public const string Pending = "pending";
    public const string Resolved = "resolved";
    public const string Closed = "closed";

    public static readonly IReadOnlyDictionary<string, string> StatusLabels = new Dictionary<string, string>
    {
        [New] = "Nouveau",
        ["escalated_tto"] = "Escaladé (délai de prise en charge)",
        [Assigned] = "Affecté",
        ["escalated_ttr"] = "Escaladé (délai de résolution)",
        ["waiting_for_approval"] = "En attente d'approbation",
        ["approved"] = "Approuvé",
        ["rejected"] = "Rejeté",
        [Pending] = "En attente",
        [Resolved] = "Résolu",
        [Closed] = "Fermé",
    };

    /// <summary>Stimulus → (French label, the field it needs from the technician, or null).</summary>
    public static readonly IReadOnlyDictionary<string, (string Label, string? Needs)> Stimuli = new Dictionary<string, (string, string?)>
    {
        ["ev_assign"] = ("Affecter", null),
        ["ev_pending"] = ("Mettre en attente", "pending_reason"),
        ["ev_resolve"] = ("Résoudre", "solution"),
        ["ev_close"] = ("Fermer", null),
        ["ev_reopen"] = ("Rouvrir", null),
    };

    /// <summary>(state, stimulus) → target state.</summary>
    private static readonly Dictionary<(string, string), string> Transitions = new()
    {
        [(New, "ev_assign")] = Assigned,
        [("escalated_tto", "ev_assign")] = Assigned,
        [(Assigned, "ev_pending")] = Pending,
        [(Assigned, "ev_resolve")] = Resolved,
        [("escalated_ttr", "ev_pending")] = Pending,
        [("escalated_ttr", "ev_resolve")] = Resolved,
        [(Pending, "ev_assign")] = Assigned,
        [(Pending, "ev_resolve")] = Resolved,
        [(Resolved, "ev_close")] = Closed,
        [(Resolved, "ev_reopen")] = Assigned,
    };

    public static string? Target(string state, string stimulus) => Transitions.GetValueOrDefault((state, stimulus));

    public static IEnumerable<string> Available(string state) =>
        Stimuli.Keys.Where(stimulus => Transitions.ContainsKey((state, stimulus)));

    public static string StatusLabel(string status) => StatusLabels.TryGetValue(status, out var label) ? label : status;

    public static string UrgencyLabel(string urgency) => urgency switch
    {
        "1" => "Critique",
        "2" => "Haute",
        "3" => "Moyenne",
        "4" => "Basse",
        _ => urgency,
    };
}
