using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace TicketHub.Deploy.Tests;

/// <summary>
/// YAML read as plain data: mappings become dictionaries with string keys, sequences lists, scalars
/// strings (as a YAML 1.2 reader that applies no schema sees them); anchors, aliases and merge keys
/// (<c>&lt;&lt;</c>, the compose file's shared blocks) resolved.
/// </summary>
internal static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    /// <summary>Every document of the file; an error names the file and the line.</summary>
    public static IReadOnlyList<Dictionary<string, object?>> LoadAll(string relativePath)
    {
        var text = Repository.Read(relativePath);
        try
        {
            var parser = new MergingParser(new Parser(new StringReader(text)));
            parser.Consume<StreamStart>();
            var documents = new List<Dictionary<string, object?>>();
            while (parser.Accept<DocumentStart>(out _))
            {
                if (Normalise(Deserializer.Deserialize<object?>(parser)) is Dictionary<string, object?> document)
                {
                    documents.Add(document);
                }
            }

            return documents;
        }
        catch (YamlException ex)
        {
            throw new AssertionException($"{relativePath} is not valid YAML at line {ex.Start.Line}: {ex.Message}");
        }
    }

    public static Dictionary<string, object?> Load(string relativePath) =>
        LoadAll(relativePath) is [var only] ? only : throw new AssertionException($"{relativePath} should hold one YAML document.");

    private static object? Normalise(object? node) => node switch
    {
        IDictionary<object, object?> map => map.ToDictionary(entry => Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)!, entry => Normalise(entry.Value), StringComparer.Ordinal),
        IList<object?> list => list.Select(Normalise).ToList(),
        _ => node,
    };
}

/// <summary>Reading a path in the plain data of <see cref="Yaml"/>.</summary>
internal static class YamlNavigation
{
    /// <summary>The node at <paramref name="path"/> (mapping keys), or null where one is missing.</summary>
    public static object? At(this object? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is Dictionary<string, object?> map && map.TryGetValue(key, out var child) ? child : null;
        }

        return node;
    }

    public static Dictionary<string, object?> MapAt(this object? node, params string[] path) =>
        node.At(path) as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);

    public static IReadOnlyList<object?> ListAt(this object? node, params string[] path) =>
        node.At(path) as List<object?> ?? [];

    public static string? StringAt(this object? node, params string[] path) => node.At(path) as string;

    /// <summary>A mapping of scalars (labels, a ConfigMap's data, a compose environment) as strings.</summary>
    public static Dictionary<string, string> StringsAt(this object? node, params string[] path) =>
        node.MapAt(path).ToDictionary(entry => entry.Key, entry => entry.Value as string ?? "", StringComparer.Ordinal);
}
