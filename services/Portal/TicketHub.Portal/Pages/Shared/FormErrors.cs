namespace TicketHub.Portal.Pages.Shared;

/// <summary>
/// The errors of one form: per field (keyed by the field's HTML id, so that the summary can link
/// to it) and general ones, in the order they were found.
/// </summary>
public sealed class FormErrors
{
    private readonly List<(string? FieldId, string Message)> _all = [];

    public bool Any => _all.Count > 0;

    public int Count => _all.Count;

    public IReadOnlyList<(string? FieldId, string Message)> All => _all;

    /// <summary>The first error of a field, or null.</summary>
    public string? For(string fieldId) => _all.FirstOrDefault(e => e.FieldId == fieldId).Message;

    public bool Has(string fieldId) => _all.Any(e => e.FieldId == fieldId);

    public void Add(string fieldId, string message)
    {
        if (!Has(fieldId))
        {
            _all.Add((fieldId, message));
        }
    }

    public void AddGeneral(string message) => _all.Add((null, message));
}

/// <summary>What the error summary at the top of a form shows.</summary>
/// <param name="Anchors">Field id → the id of the element the summary's link goes to (the first radio of a group).</param>
public sealed record ErrorSummary(FormErrors Errors, IReadOnlyDictionary<string, string>? Anchors = null, string Id = "erreurs");

/// <summary>One text field (input or textarea) with its label, hint and error, as DSFR draws it.</summary>
public sealed record InputField(string Id, string Name, string Label, string? Value, string? Error,
    string Type = "text", string? Hint = null, bool Required = false, int? MaxLength = null, string? Autocomplete = null, int Rows = 0, string? Spellcheck = null);
