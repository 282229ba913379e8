using System.Globalization;

namespace TicketHub.Connectors.Itop.Itop;

/// <summary>A ticket in iTop: its class (UserRequest or Incident) and its key, unique across both (they share Ticket's).</summary>
internal sealed record ItopTicketRef(string Class, int Key)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Class}::{Key}");
}
