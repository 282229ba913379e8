using System.Text.Json;

namespace TicketHub.Classifier.Suggestions;

/// <summary>A collège's request whose zone and category are known: written by hand for the hub, or learned from its routed history.</summary>
public sealed record LabelledRequest(string Id, string Title, string Description, string Zone, string Category);

/// <summary>The labelled French set shipped with the classifier (<c>Suggestions/labelled-requests.jsonl</c>, one JSON object per line).</summary>
public static class LabelledSet
{
    private const string ResourceName = "TicketHub.Classifier.Suggestions.labelled-requests.jsonl";

    public static IReadOnlyList<LabelledRequest> Shipped()
    {
        using var stream = typeof(LabelledSet).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The classifier's labelled set ({ResourceName}) is not embedded.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }

    public static IReadOnlyList<LabelledRequest> Parse(TextReader reader)
    {
        var requests = new List<LabelledRequest>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var row = JsonSerializer.Deserialize<Row>(line, JsonSerializerOptions.Web)
                ?? throw new FormatException($"Line {number} of the labelled set is empty JSON.");
            requests.Add(new LabelledRequest(row.Id ?? $"L{number}", row.Title ?? "", row.Description ?? "",
                row.Zone ?? throw new FormatException($"Line {number} of the labelled set has no zone."),
                row.Category ?? throw new FormatException($"Line {number} of the labelled set has no category.")));
        }

        return requests;
    }

    private sealed record Row(string? Id, string? Title, string? Description, string? Zone, string? Category);
}
