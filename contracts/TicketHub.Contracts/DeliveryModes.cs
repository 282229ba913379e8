namespace TicketHub.Contracts;

/// <summary>How a connector hands tickets to a tool that has no public API (PASS, Omère).</summary>
public static class DeliveryModes
{
    /// <summary>The tool (or an adapter in front of it) implements the hub's HTTP contract, <c>docs/api/outil-externe.openapi.yaml</c>.</summary>
    public const string Http = "http";

    /// <summary>A structured e-mail to the tool's intake mailbox, the hub reference in the subject.</summary>
    public const string Email = "email";

    /// <summary>An operator enters the ticket by hand from the relay queue and records its number.</summary>
    public const string Manual = "manual";
}
