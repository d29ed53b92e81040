package ssd.datasets.prompts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PromptExtractorTest {
    static final String MODULE = """
            \"\"\"Module docstring that mentions
            import fake
            def not_a_function(x):
            \"\"\"
            from __future__ import annotations
            import os, sys as system
            import collections.abc
            from typing import (List,
                                Optional)  # types
            import json

            CONSTANT = 3


            def scale(values: List[int], factor: "str)#" = ')') -> List[int]:  # a tricky signature
                \"\"\"Scale each value.

                >>> scale([1, 2], 2)
                [2, 4]
                \"\"\"
                return [v * factor for v in values if os.path.exists(v)]


            @decorator
            def decorated(x):
                \"\"\"Skipped: decorated.\"\"\"
                return x


            def _private(x):
                \"\"\"Skipped: private.\"\"\"
                return x


            def one_liner(x): return x


            def no_docstring(x):
                return x


            def only_docstring():
                \"\"\"Skipped: nothing to complete.\"\"\"


            async def fetch(
                    url,
                    timeout=None,
            ):
                r'''Fetch a URL with system.'''
                # comment inside the body
                data = system.stdin.read()

                return data
            # trailing comment that belongs to no function


            class Holder:
                def method(self):
                    \"\"\"Skipped: not top level.\"\"\"
                    return 1
            """;

    @Test
    void extractsPublicUndecoratedTopLevelFunctionsWithDocstrings() {
        List<PromptCandidate> found = PromptExtractor.extract(MODULE);
        assertThat(found).extracting(PromptCandidate::entryPoint).containsExactly("scale", "fetch");
    }

    @Test
    void promptIsUsedImportsThenSignatureAndDocstringCutAfterTheDocstring() {
        PromptCandidate scale = PromptExtractor.extract(MODULE).get(0);
        assertThat(scale.prompt()).isEqualTo("""
                from __future__ import annotations
                import os, sys as system
                from typing import (List,
                                    Optional)  # types


                def scale(values: List[int], factor: "str)#" = ')') -> List[int]:  # a tricky signature
                    \"\"\"Scale each value.

                    >>> scale([1, 2], 2)
                    [2, 4]
                    \"\"\"
                """);
        assertThat(scale.body()).isEqualTo("    return [v * factor for v in values if os.path.exists(v)]\n");
    }

    @Test
    void multiLineSignaturesRawDocstringsAndBodiesWithBlankLines() {
        PromptCandidate fetch = PromptExtractor.extract(MODULE).get(1);
        assertThat(fetch.prompt()).endsWith("""
                async def fetch(
                        url,
                        timeout=None,
                ):
                    r'''Fetch a URL with system.'''
                """);
        assertThat(fetch.prompt()).contains("import os, sys as system").doesNotContain("import json")
                .doesNotContain("collections");
        assertThat(fetch.body()).isEqualTo("""
                    # comment inside the body
                    data = system.stdin.read()

                    return data
                """);
    }

    @Test
    void importsInsideStringsAreNotImports() {
        String src = "X = '''\nimport secret\n'''\n\n\ndef f(secret):\n    \"\"\"Doc of f.\"\"\"\n    return secret\n";
        assertThat(PromptExtractor.extract(src)).singleElement()
                .satisfies(c -> assertThat(c.prompt()).startsWith("def f(secret):"));
    }
}
