using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Intake.Http;
using TicketHub.ServiceDefaults;
using TicketHub.Intake.Tickets;

namespace TicketHub.Intake.Conversation;

public static class CommentsApi
{
    public const int TextMaxLength = 5_000;

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

        foreach (var property in root.EnumerateObject().Where(p => p.Name is not ("text" or "authorName")))
        {
            errors[property.Name] = ["Champ inconnu : vérifiez son orthographe."];
        }

        var text = Read(root, "text", TextMaxLength, multiLine: true, errors);
        var author = Read(root, "authorName", 200, multiLine: false, errors);
        if (text is null && !errors.ContainsKey("text"))
        {
            errors["text"] = ["Écrivez le message à transmettre."];
        }

        return (text, author, errors);
    }

    private static string? Read(JsonElement root, string name, int maxLength, bool multiLine, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors[name] = ["Type incorrect : ce champ est une chaîne de caractères."];
            return null;
        }

        var value = element.GetString()!.Trim();
        if (value.Length > maxLength)
        {
            errors[name] = [$"Trop long : {value.Length} caractères pour {maxLength} au plus."];
            return null;
        }

        if (value.Any(c => char.IsControl(c) && (!multiLine || (c != '\n' && c != '\r' && c != '\t'))))
        {
            errors[name] = ["Ce champ contient des caractères de contrôle non autorisés."];
            return null;
        }

        return value.Length == 0 ? null : value;
    }
}
