using Microsoft.Extensions.Options;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Forwarding;

/// <summary>Turns a routed hub ticket into the fields of a GLPI ticket.</summary>
internal sealed class GlpiTicketMapper(IOptions<GlpiOptions> options)
{
    /// <summary>GLPI's <c>name</c> column holds 255 characters.</summary>
    private const int MaxNameLength = 255;

    public GlpiTicketInput Map(TicketRouted routed)
    {
        var mapping = options.Value.Mapping;
        var ticket = routed.Ticket;
        return new GlpiTicketInput
        {
            Name = ticket.Title.Length <= MaxNameLength ? ticket.Title : ticket.Title[..(MaxNameLength - 1)] + "…",
            Content = GlpiTicketContent.Render(routed),
            EntityId = mapping.Entities.TryGetValue(ticket.CollegeUai, out var entityId) ? entityId : mapping.DefaultEntityId,
            CategoryId = mapping.Categories.TryGetValue(ticket.Category, out var categoryId) && categoryId > 0 ? categoryId : null,
            Type = TypeOf(ticket.Type),
            Urgency = UrgencyOf(ticket.Urgency),
            ExternalId = routed.Reference,
        };
    }

    /// <summary>GLPI: 1 incident, 2 request ("demande").</summary>
    public static int TypeOf(string type) => type switch
    {
        "request" => 2,
        _ => 1,
    };

    /// <summary>GLPI urgency runs 1 (very low) to 5 (very high); the hub's four levels start at low.</summary>
    public static int UrgencyOf(string urgency) => urgency switch
    {
        "low" => 2,
        "high" => 4,
        "critical" => 5,
        _ => 3,
    };
}
