using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Intake.Http;
using TicketHub.ServiceDefaults;
using TicketHub.Intake.Tickets;

namespace TicketHub.Intake.Conversation;

public static class CommentsApi
{
    public const int TextMaxLength = 5_000;

    public const int AuthorMaxLength = 200;

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal) { "text", "authorName" };

    public static IEndpointRouteBuilder MapCommentsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/tickets/{id}/comments", AddAsync).WithTags("Tickets");
        return app;
    }

    /// <summary>The collège adds information: kept in the timeline and sent to the tool holding the ticket.</summary>
    private static async Task<Results<Created<CommentView>, ProblemHttpResult>> AddAsync(
        string id, HttpRequest request, TicketStore tickets, ConversationStore conversation, CancellationToken cancellationToken)
    {
        var (document, _, problem) = await JsonRequest.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using var json = document!;
        var (text, author, errors) = Parse(json.RootElement);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "Le message contient des erreurs : corrigez les champs indiqués.");
        }

        var ticket = await tickets.FindAsync(id, cancellationToken);
        if (ticket is null)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "Aucune demande ne porte cet identifiant.");
        }

        var result = await conversation.AddCommentAsync(ticket.Id, text!, author, cancellationToken);
        if (!result.Found)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "Aucune demande ne porte cet identifiant.");
        }

        return result.IsClosed
            ? Problems.Of(StatusCodes.Status409Conflict, "Cette demande est close : ouvrez une nouvelle demande pour signaler un nouveau problème.")
            : TypedResults.Created($"/api/v1/tickets/{ticket.Id}", result.Comment!);
    }

    private static (string? Text, string? Author, Dictionary<string, string[]> Errors) Parse(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["Le corps doit être un objet JSON {\"text\", \"authorName\"}."];
            return (null, null, errors);
        }

        JsonFields.RejectUnknown(root, Fields, errors);

        var text = JsonFields.Text(root, "text", TextMaxLength, errors, multiLine: true);
        var author = JsonFields.Text(root, "authorName", AuthorMaxLength, errors);
        if (text is null && !errors.ContainsKey("text"))
        {
            errors["text"] = ["Écrivez le message à transmettre."];
        }

        return (text, author, errors);
    }
}
