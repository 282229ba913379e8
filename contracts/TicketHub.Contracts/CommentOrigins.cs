namespace TicketHub.Contracts;

/// <summary>
/// Who wrote a comment the hub sends to a team's tool (<see cref="TicketCommentAdded.Origin"/>): the
/// tool's note says so, so that a technician never reads « Message du collège » over what the Pôle TIE
/// or a colleague on site wrote.
/// </summary>
public static class CommentOrigins
{
    /// <summary>The collège, from the ticket's page, the API or a reply by e-mail (a null origin means this too).</summary>
    public const string College = "college";

    /// <summary>The Pôle TIE (dispatcher, administrator), writing on the collège's behalf.</summary>
    public const string PoleTie = "pole-tie";

    /// <summary>A team member (infogérant, Rectorat, building service), e.g. the note of a ticket closed as a duplicate of this one.</summary>
    public const string Team = "team";

    /// <summary>The infogérant's technician, recording what was done during a visit to the collège (issue 14).</summary>
    public const string OnSiteVisit = "on-site-visit";

    public static IReadOnlyList<string> All { get; } = [College, PoleTie, Team, OnSiteVisit];
}
