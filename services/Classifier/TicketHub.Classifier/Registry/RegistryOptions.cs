namespace TicketHub.Classifier.Registry;

/// <summary>Bound from the <c>Registry</c> section (env: <c>Registry__SeedFile</c>).</summary>
public sealed class RegistryOptions
{
    public const string SectionName = "Registry";

    /// <summary>
    /// CSV imported at start when the registry is empty; relative paths are resolved from the content
    /// root. Empty: start with an empty registry (fill it with <c>POST /api/v1/colleges/import</c>).
    /// </summary>
    public string? SeedFile { get; set; }
}
