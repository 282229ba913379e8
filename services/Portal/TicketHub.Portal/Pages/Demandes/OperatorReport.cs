using TicketHub.Contracts;
using TicketHub.Portal.Display;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Demandes;

/// <summary>
/// « Signaler l'avancement dans PASS/Omère », as the browser posts it (<c>Report.Status</c>,
/// <c>Report.Reply</c>, <c>Report.AuthorName</c>): what the tool's operator saw there, for intake's
/// <c>external-updates</c>. The portal checks what intake would refuse, so that most mistakes cost no call.
/// </summary>
public sealed class OperatorReportInput
{
    /// <summary>The choice « Statut inchangé »: only a message is reported.</summary>
    public const string Unchanged = "inchange";

    /// <summary>Intake's limits (<c>CommentsApi.TextMaxLength</c>, <c>CommentsApi.AuthorMaxLength</c>).</summary>
    public const int ReplyMaxLength = 5_000;

    public const int AuthorMaxLength = 200;

    // The fields' HTML ids: the error summary links to them.
    public const string StatusField = "avancement-statut";
    public const string ReplyField = "avancement-message";
    public const string AuthorField = "avancement-auteur";

    /// <summary>The statuses intake accepts from an operator, in the order of a ticket's life.</summary>
    public static IReadOnlyList<string> Statuses { get; } = [HubStatuses.InProgress, HubStatuses.Waiting, HubStatuses.Resolved, HubStatuses.Closed];

    /// <summary>Intake's field names → the form's ids.</summary>
    private static readonly Dictionary<string, string> FieldIds = new(StringComparer.Ordinal)
    {
        ["status"] = StatusField,
        ["reply"] = ReplyField,
        ["authorName"] = AuthorField,
    };

    public string? Status { get; set; }

    public string? Reply { get; set; }

    public string? AuthorName { get; set; }

    /// <summary>What to send to intake, or null when the form has errors (added to <paramref name="errors"/>).</summary>
    public ExternalUpdateSubmission? Validate(string toolName, FormErrors errors)
    {
        var status = Status?.Trim();
        var reply = string.IsNullOrWhiteSpace(Reply) ? null : Reply.Trim();
        var author = string.IsNullOrWhiteSpace(AuthorName) ? null : AuthorName.Trim();

        if (string.IsNullOrEmpty(status))
        {
            errors.Add(StatusField, $"Choisissez le statut de la demande dans {toolName}, ou « Statut inchangé » pour transmettre seulement un message.");
        }
        else if (status != Unchanged && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            errors.Add(StatusField, "Choisissez un des statuts proposés.");
        }

        if (reply is { Length: > ReplyMaxLength })
        {
            errors.Add(ReplyField, $"Votre message compte {reply.Length} caractères : {ReplyMaxLength} au plus.");
        }
        else if (status == Unchanged && reply is null)
        {
            errors.Add(ReplyField, "Écrivez le message à transmettre au collège, ou choisissez un nouveau statut.");
        }

        if (author is { Length: > AuthorMaxLength })
        {
            errors.Add(AuthorField, $"Le nom compte {author.Length} caractères : {AuthorMaxLength} au plus.");
        }

        // The technician's name goes with a message only: alone, it would sign nothing.
        return errors.Any ? null : new ExternalUpdateSubmission(status == Unchanged ? null : status, reply, reply is null ? null : author);
    }

    /// <summary>Intake's refusal: each field's error next to its field, the rest (a conflict, say) above the form.</summary>
    public static void AddProblem(ApiProblem problem, FormErrors errors)
    {
        foreach (var (name, messages) in problem.Errors)
        {
            foreach (var message in messages)
            {
                if (FieldIds.TryGetValue(name, out var fieldId))
                {
                    errors.Add(fieldId, message);
                }
                else
                {
                    errors.AddGeneral(message);
                }
            }
        }

        if (!errors.Any)
        {
            errors.AddGeneral(problem.Message);
        }
    }
}

/// <summary>What the partial <c>_OperatorReport</c> draws: the ticket, the tool the user reports on, what was typed and the errors.</summary>
/// <param name="Tool"><c>pass</c> or <c>omere</c>.</param>
/// <param name="QueuePage">The tool's queue page, where a ticket still to enter by hand is confirmed.</param>
public sealed record OperatorReportForm(TicketView Ticket, string Tool, OperatorReportInput Input, FormErrors Errors, string? QueuePage)
{
    public string ToolName => Labels.Tool(Tool);

    /// <summary>The ticket is in the tool (forwarded there, with the tool's number): there is something to report.</summary>
    public bool InTool => Ticket.External?.Tool == Tool;
}
