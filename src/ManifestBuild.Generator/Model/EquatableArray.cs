using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace ManifestBuild.Generator.Model
{
    /// <summary>
    /// An immutable array compared by its elements, so that pipeline models built from equal input
    /// compare equal and the incremental driver can cache what follows them.
    /// </summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
        where T : IEquatable<T>
    {
        public static readonly EquatableArray<T> Empty = new EquatableArray<T>(ImmutableArray<T>.Empty);

        private readonly ImmutableArray<T> items;

        public EquatableArray(ImmutableArray<T> items)
        {
            this.items = items;
        }

        public EquatableArray(IEnumerable<T> items)
        {
            this.items = items.ToImmutableArray();
        }

        public int Count => items.IsDefault ? 0 : items.Length;

        public T this[int index] => items[index];

        public bool Equals(EquatableArray<T> other)
        {
            var left = items.IsDefault ? ImmutableArray<T>.Empty : items;
            var right = other.items.IsDefault ? ImmutableArray<T>.Empty : other.items;
            return left.SequenceEqual(right);
        }

        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            var hash = 17;
            foreach (var item in this)
            {
                hash = unchecked((hash * 31) + (item?.GetHashCode() ?? 0));
            }

            return hash;
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(items.IsDefault ? ImmutableArray<T>.Empty : items)).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
