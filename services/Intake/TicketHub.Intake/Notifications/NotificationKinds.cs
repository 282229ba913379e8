using TicketHub.Contracts;

namespace TicketHub.Intake.Notifications;

/// <summary>What a notification is about (<see cref="NotificationMailRequested.Kind"/>), and how each person chose to be told.</summary>
public static class NotificationKinds
{
    public const string Received = "received";
    public const string Forwarded = "forwarded";
    public const string Reply = "reply";
    public const string Waiting = "waiting";
    public const string Resolved = "resolved";
    public const string Closed = "closed";
    public const string Rerouted = "rerouted";
    public const string Duplicate = "duplicate";
    public const string AttachmentRefused = "attachment-refused";

    /// <summary>The infogérant's technician recorded what was done on site for the ticket (issue 14).</summary>
    public const string Visit = "visit";

    /// <summary>A person's daily digest (<see cref="NotificationModes.Digest"/>).</summary>
    public const string Digest = "digest";

    /// <summary>The answer to a reply by e-mail that could not be taken (not to a ticket's followers: to its sender).</summary>
    public const string ReplyRefused = "reply-refused";

    /// <summary>The events that ask something of the collège: the team waits for it, or the ticket is resolved (to confirm or reopen).</summary>
    public static bool NeedsAnswer(string kind) => kind is Waiting or Resolved;
}

/// <summary>How a person chose to be told (<c>notification_preferences.mode</c>).</summary>
public static class NotificationModes
{
    /// <summary>Every event, as it happens (the default).</summary>
    public const string Immediate = "immediate";

    /// <summary>Everything, in one mail a day (<see cref="NotificationOptions.DigestAt"/>).</summary>
    public const string Digest = "digest";

    /// <summary>Only what needs an answer (<see cref="NotificationKinds.NeedsAnswer"/>).</summary>
    public const string NeedsAnswer = "needs-answer";

    /// <summary>Nothing (unsubscribed).</summary>
    public const string None = "none";

    public static IReadOnlyList<string> All { get; } = [Immediate, Digest, NeedsAnswer, None];

    public static bool Wants(string mode, string kind) => mode switch
    {
        None => false,
        NeedsAnswer => NotificationKinds.NeedsAnswer(kind),
        _ => true,
    };
}
