using TicketHub.Contracts;
using TicketHub.Intake.Attachments;

namespace TicketHub.Intake.Tickets;

/// <summary>A validated ticket request, ready to be stored, with the files sent with it.</summary>
public sealed record NewTicket(TicketDetails Details, IReadOnlyList<NewAttachment> Attachments)
{
    public NewTicket(TicketDetails details)
        : this(details, [])
    {
    }
}
