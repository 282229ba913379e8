using MassTransit;
using Microsoft.Extensions.Options;
using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Connectors.Shared.Delivery;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Shared.Consumers;

/// <summary>Delivers to the tool the tickets routed to it; every other route is someone else's.</summary>
internal sealed class TicketRoutedConsumer(ToolForwarder forwarder, ToolDescriptor tool) : IConsumer<TicketRouted>
{
    public Task Consume(ConsumeContext<TicketRouted> context) =>
        tool.Is(context.Message.Route.Tool) ? forwarder.ForwardAsync(context.Message, context.CancellationToken) : Task.CompletedTask;
}

/// <summary>
/// An operator entered the ticket in the tool by hand and gave its number: the ticket is forwarded,
/// once, however many times the confirmation arrives.
/// </summary>
internal sealed class RelayItemAcknowledgedConsumer(IInbox inbox, DeliveryLedger ledger, ToolDescriptor tool, TimeProvider clock)
    : IConsumer<RelayItemAcknowledged>
{
    public Task Consume(ConsumeContext<RelayItemAcknowledged> context)
    {
        var ack = context.Message;
        if (!tool.Is(ack.Tool) || ack.Kind != RelayItemKinds.Ticket || string.IsNullOrWhiteSpace(ack.ExternalId))
        {
            return Task.CompletedTask;
        }

        return inbox.ProcessOnceAsync<RelayItemAcknowledgedConsumer>(context, () => ledger.MarkCreatedAsync(
            new TicketForwarded(ack.TicketId, ack.Reference, tool.Tool, ack.ExternalId, null, clock.GetUtcNow()),
            startSync: null,
            context.CancellationToken));
    }
}

/// <summary>
/// Adds a collège's comment to the tool's ticket, once, then its files, each once, for the tools
/// that take files (GLPI, iTop: the protocol of <see cref="DocumentSender"/>; a redelivered message
/// adds those still missing). Comments for other tools are someone else's.
/// </summary>
internal sealed class TicketCommentAddedConsumer(
    IInbox inbox,
    DeliveryLedger ledger,
    ITicketDelivery delivery,
    IEnumerable<DocumentSender> documents,
    ToolDescriptor tool)
    : IConsumer<TicketCommentAdded>
{
    public Task Consume(ConsumeContext<TicketCommentAdded> context)
    {
        var comment = context.Message;
        if (!tool.Is(comment.Tool))
        {
            return Task.CompletedTask;
        }

        return AddAsync(context, comment);
    }

    private async Task AddAsync(ConsumeContext<TicketCommentAdded> context, TicketCommentAdded comment)
    {
        string? heldId = null;
        using (await delivery.HoldWritesAsync(context.CancellationToken))
        {
            await inbox.ProcessOnceAsync<TicketCommentAddedConsumer>(context, async () =>
            {
                // Not held yet (the comment overtook the ticket's creation) or no longer: retried, then a
                // dead letter an administrator sees; never dropped.
                var ticket = await ledger.FindAsync(comment.TicketId, context.CancellationToken);
                heldId = ticket?.HeldId ?? throw new InvalidOperationException(
                    $"Ticket {comment.Reference} is not (or no longer) held by {tool.DisplayName}: the comment cannot be added there.");
                await delivery.AddCommentAsync(comment, heldId, context.CancellationToken);
            });
        }

        if (comment.Attachments is not { Count: > 0 } files || !documents.Any())
        {
            return;
        }

        // The comment was added by an earlier delivery whose files failed: the ticket is still the tool's.
        heldId ??= (await ledger.ReadAsync(comment.TicketId, context.CancellationToken))?.HeldId;
        if (heldId is null)
        {
            return;
        }

        var target = new DocumentTarget(comment.TicketId, comment.Reference, comment.CollegeUai ?? "", heldId);
        foreach (var sender in documents)
        {
            await sender.SendAsync(target, files, context.CancellationToken);
        }
    }
}

/// <summary>
/// A hub message about a ticket the tool holds for the hub that makes it the hub's no longer (sent
/// elsewhere, closed as a duplicate): the tool's ticket is marked moved in the ledger (its sync stops
/// following it) and told why with one note, once, in the inbox's unit of work, writes held
/// (<see cref="ITicketDelivery.HoldWritesAsync"/>). A ticket the tool does not hold (never created there,
/// moved already) gets no note. Messages about other tools' tickets are someone else's.
/// </summary>
/// <typeparam name="TConsumer">The consumer itself: the inbox records its messages under its name.</typeparam>
internal abstract class HeldTicketNoteConsumer<TConsumer, TMessage>(IInbox inbox, DeliveryLedger ledger, ITicketDelivery delivery, ToolDescriptor tool)
    : IConsumer<TMessage>
    where TConsumer : class
    where TMessage : class
{
    protected ToolDescriptor Tool => tool;

    protected IInbox Inbox => inbox;

    protected DeliveryLedger Ledger => ledger;

    protected ITicketDelivery Delivery => delivery;

    public Task Consume(ConsumeContext<TMessage> context) => Concerns(context.Message) ? HandleAsync(context) : Task.CompletedTask;

    /// <summary>Whether the message is about a ticket of this connector's tool.</summary>
    protected abstract bool Concerns(TMessage message);

    protected abstract Guid TicketOf(TMessage message);

    /// <summary>The note that tells the tool's ticket why it is no longer the hub's.</summary>
    protected abstract HubNote NoteOf(TMessage message);

    /// <summary>What more to do once the note is written, still with the writes held: nothing by default.</summary>
    /// <param name="noted">The note was written by this delivery.</param>
    /// <param name="firstDelivery">The inbox had not seen the message.</param>
    protected virtual Task AfterNoteAsync(ConsumeContext<TMessage> context, bool noted, bool firstDelivery) => Task.CompletedTask;

    /// <summary>The tool does not hold the ticket for the hub (<paramref name="state"/>, or unknown): no note.</summary>
    protected virtual void NotHeld(TMessage message, string? state)
    {
    }

    private async Task HandleAsync(ConsumeContext<TMessage> context)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        using var hold = await delivery.HoldWritesAsync(cancellationToken);
        var noted = false;
        var firstDelivery = await inbox.ProcessOnceAsync<TConsumer>(context, async () =>
        {
            var ticket = await ledger.FindAsync(TicketOf(message), cancellationToken);
            // The ledger's "moved" mark: the tool's ticket is no longer the hub's, whatever took it away.
            if (ticket?.HeldId is { } externalId && await ledger.MarkMovedAsync(TicketOf(message), cancellationToken))
            {
                await delivery.AddNoteAsync(NoteOf(message), externalId, cancellationToken);
                noted = true;
            }
            else
            {
                NotHeld(message, ticket?.State);
            }
        });
        await AfterNoteAsync(context, noted, firstDelivery);
    }
}

/// <summary>Tells the tool's ticket that the hub sent the request elsewhere, once (unless the new route keeps it in this tool).</summary>
internal sealed class TicketReroutedConsumer(IInbox inbox, DeliveryLedger ledger, ITicketDelivery delivery, ToolDescriptor tool)
    : HeldTicketNoteConsumer<TicketReroutedConsumer, TicketRerouted>(inbox, ledger, delivery, tool)
{
    protected override bool Concerns(TicketRerouted message) => Tool.Is(message.PreviousExternal?.Tool) && !Tool.Keeps(message);

    protected override Guid TicketOf(TicketRerouted message) => message.TicketId;

    protected override HubNote NoteOf(TicketRerouted message) => ToolNotes.MovedAway(message, Tool);
}

/// <summary>
/// A ticket the tool holds was closed in the hub as a duplicate of another (« doublon de TH-… »): the
/// tool's ticket is told, once, where the fault is followed, and is no longer the hub's (its sync stops
/// following it: its requester follows the kept ticket; ADR 19). Then, when the connector is set to
/// (<c>{Section}:CloseDuplicates</c>), the tool's ticket is solved, once: in a unit of work of its own,
/// so that a failure that may pass retries the solution and never writes the note twice.
/// Duplicates of other tools' tickets are someone else's.
/// </summary>
internal sealed partial class TicketClosedAsDuplicateConsumer(
    IInbox inbox,
    DeliveryLedger ledger,
    ITicketDelivery delivery,
    ToolDescriptor tool,
    IOptions<ConnectorOptions> options,
    ILogger<TicketClosedAsDuplicateConsumer> logger)
    : HeldTicketNoteConsumer<TicketClosedAsDuplicateConsumer, TicketClosedAsDuplicate>(inbox, ledger, delivery, tool)
{
    protected override bool Concerns(TicketClosedAsDuplicate message) => Tool.Is(message.Tool);

    protected override Guid TicketOf(TicketClosedAsDuplicate message) => message.TicketId;

    protected override HubNote NoteOf(TicketClosedAsDuplicate message) => ToolNotes.Duplicate(message, Tool);

    protected override void NotHeld(TicketClosedAsDuplicate message, string? state) => LogNotHeld(message.Reference, Tool.DisplayName, state ?? "unknown");

    // Solved after the note was written (now, or by an earlier delivery whose solution failed).
    protected override async Task AfterNoteAsync(ConsumeContext<TicketClosedAsDuplicate> context, bool noted, bool firstDelivery)
    {
        if (!options.Value.CloseDuplicates || (!noted && firstDelivery))
        {
            return;
        }

        var duplicate = context.Message;
        var cancellationToken = context.CancellationToken;
        await Inbox.ProcessOnceAsync<Solution>(context, async () =>
        {
            if (await Ledger.FindAsync(duplicate.TicketId, cancellationToken) is { State: ExternalTicketState.Created, ExternalId: { } externalId })
            {
                await Delivery.SolveAsync(duplicate.TicketId, duplicate.Reference, externalId, ToolNotes.DuplicateSolution(duplicate), cancellationToken);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} closed as a duplicate, but {Tool} does not hold it for the hub (ledger: {State}); no note")]
    private partial void LogNotHeld(string reference, string tool, string state);

    /// <summary>The inbox's name for the second step, the solution: once per message, apart from the note.</summary>
    private sealed class Solution;
}

/// <summary>
/// The tool down or slow: the shared policy (ADR 8) retries at once, then redelivers for about 20
/// minutes, then keeps the message as a dead letter (intake shows the ticket failed). Messages of one ticket are handled one at a time, so two
/// deliveries of it cannot both create it.
/// </summary>
internal abstract class ToolConsumerDefinition<TConsumer, TMessage> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer<TMessage>
    where TMessage : class
{
    protected abstract Guid TicketOf(TMessage message);

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
        consumerConfigurator.Message<TMessage>(message => message.UsePartitioner(16, consume => TicketOf(consume.Message)));
    }
}

internal sealed class TicketRoutedConsumerDefinition : ToolConsumerDefinition<TicketRoutedConsumer, TicketRouted>
{
    protected override Guid TicketOf(TicketRouted message) => message.TicketId;
}

internal sealed class RelayItemAcknowledgedConsumerDefinition : ToolConsumerDefinition<RelayItemAcknowledgedConsumer, RelayItemAcknowledged>
{
    protected override Guid TicketOf(RelayItemAcknowledged message) => message.TicketId;
}

internal sealed class TicketCommentAddedConsumerDefinition : ToolConsumerDefinition<TicketCommentAddedConsumer, TicketCommentAdded>
{
    protected override Guid TicketOf(TicketCommentAdded message) => message.TicketId;
}

internal sealed class TicketReroutedConsumerDefinition : ToolConsumerDefinition<TicketReroutedConsumer, TicketRerouted>
{
    protected override Guid TicketOf(TicketRerouted message) => message.TicketId;
}

internal sealed class TicketClosedAsDuplicateConsumerDefinition : ToolConsumerDefinition<TicketClosedAsDuplicateConsumer, TicketClosedAsDuplicate>
{
    protected override Guid TicketOf(TicketClosedAsDuplicate message) => message.TicketId;
}
