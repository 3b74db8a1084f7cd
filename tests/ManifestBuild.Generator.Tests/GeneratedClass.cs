using System.Reflection;
using System.Runtime.Loader;
using ManifestBuild.Format;
using ManifestBuild.Runtime;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Generator.Tests;

/// <summary>
/// A manifest's generated class, compiled by the generator harness and loaded into its own collectible
/// context (so <c>UseManifest</c> in one test never reaches another), called through reflection with
/// values by field name so it can be compared with a DynamicSignature of the same manifest.
/// </summary>
public sealed class GeneratedClass : IDisposable
{
    private readonly AssemblyLoadContext context;
    private readonly Type type;

    private GeneratedClass(AssemblyLoadContext context, Type type)
    {
        this.context = context;
        this.type = type;
    }

    public bool IsTyped => type.GetNestedType("Input") is not null;

    /// <summary>The generated static <c>Spec</c> (typed classes only).</summary>
    public SignatureSpec Spec => (SignatureSpec)type.GetProperty("Spec")!.GetValue(null)!;

    private object Signature => type.GetProperty("Signature")!.GetValue(null)!;

    public static GeneratedClass Compile(string name, string json)
    {
        var result = GeneratorHarness.Run([new ManifestItem(name, json)]);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileDiagnostics);
        using var stream = new MemoryStream();
        Assert.True(result.Output.Emit(stream).Success);
        stream.Position = 0;
        var context = new AssemblyLoadContext("generated-" + name, isCollectible: true);
        return new GeneratedClass(context, context.LoadFromStream(stream).GetType("Agent.Manifests." + name, throwOnError: true)!);
    }

    /// <summary>The generated <c>PredictAsync(client, input, ct)</c>, or the untyped one with <paramref name="outputNames"/>.</summary>
    public async Task<IReadOnlyDictionary<string, object>> PredictAsync(IChatClient client, IReadOnlyDictionary<string, object?> inputs, IReadOnlyList<string>? outputNames = null)
    {
        if (!IsTyped)
        {
            var predictUntyped = type.GetMethods().Single(m => m.Name == "PredictAsync" && m.GetParameters().Length == 4);
            var untyped = (Task<IReadOnlyDictionary<string, string>>)Invoke(predictUntyped, null, client, Strings(inputs), outputNames!, CancellationToken.None);
            return (await untyped).ToDictionary(p => p.Key, p => (object)p.Value);
        }

        var predict = type.GetMethods().Single(m => m.Name == "PredictAsync" && m.GetParameters().Length == 3);
        var task = (Task)Invoke(predict, null, client, Input(inputs), CancellationToken.None);
        await task;
        return ByName(task.GetType().GetProperty("Result")!.GetValue(task)!);
    }

    /// <summary><c>Signature.ParseReply</c>, outputs by name (enum values as the manifest spells them).</summary>
    public IReadOnlyDictionary<string, object> ParseReply(string reply, IReadOnlyDictionary<string, object?>? inputs = null, IReadOnlyList<string>? outputNames = null)
    {
        if (!IsTyped)
        {
            var parsed = (IReadOnlyDictionary<string, string>)Invoke(Signature.GetType().GetMethod("ParseReply")!, Signature, reply, Strings(inputs!), outputNames!);
            return parsed.ToDictionary(p => p.Key, p => (object)p.Value);
        }

        return ByName(Invoke(Signature.GetType().GetMethod("ParseReply")!, Signature, reply));
    }

    /// <summary>The generated static <c>UseManifest</c>.</summary>
    public void UseManifest(DynamicSignature manifest) => Invoke(type.GetMethod("UseManifest")!, null, manifest);

    /// <summary><c>Signature.CompiledId</c>: the manifest in use.</summary>
    public string? CompiledIdInUse => (string?)Signature.GetType().GetProperty("CompiledId")!.GetValue(Signature);

    public void Dispose() => context.Unload();

    private static object Invoke(MethodInfo method, object? target, params object[] arguments)
    {
        try
        {
            return method.Invoke(target, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is DsrsException inner)
        {
            throw inner;
        }
    }

    private static Dictionary<string, string> Strings(IReadOnlyDictionary<string, object?> inputs) => inputs.ToDictionary(p => p.Key, p => (string)p.Value!);

    private object Input(IReadOnlyDictionary<string, object?> inputs)
    {
        var parameters = type.GetNestedType("Input")!.GetConstructors().Single().GetParameters();
        var arguments = Spec.Inputs.Select((field, i) => field.Kind == FieldKind.Enum
            ? Enum.ToObject(parameters[i].ParameterType, field.EnumValues.ToList().IndexOf((string)inputs[field.Name]!))
            : inputs[field.Name]).ToArray();
        return Activator.CreateInstance(type.GetNestedType("Input")!, arguments)!;
    }

    private IReadOnlyDictionary<string, object> ByName(object output)
    {
        var parameters = type.GetNestedType("Output")!.GetConstructors().Single().GetParameters();
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        for (var i = 0; i < Spec.Outputs.Count; i++)
        {
            var field = Spec.Outputs[i];
            var value = output.GetType().GetProperty(parameters[i].Name!)!.GetValue(output)!;
            values.Add(field.Name, field.Kind == FieldKind.Enum ? field.EnumValues[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)] : value);
        }

        return values;
    }
}
