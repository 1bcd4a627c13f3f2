# The two commands a newcomer needs: `make run` and `make test`. Both install what is missing.
BUILD_DIR ?= build
DATA ?= ./data
JOBS ?= $(shell nproc)

.PHONY: deps build run test fuzz bench format clean

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@bash scripts/run.sh "$(DATA)"

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure --timeout 1500

# Each libFuzzer target for FUZZ_SECONDS (tests/fuzz/run.sh; `make test` runs them for 5 s).
FUZZ_SECONDS ?= 120
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh

bench: build
	cmake --build $(BUILD_DIR) --target bench_convert_office bench_purchase bench_fingerprint -j $(JOBS)
	@bash bench/ingest_pdf
	$(BUILD_DIR)/bench_convert_office ../shared/corpus
	@bash bench/http
	@bash bench/purchase
	@bash bench/search
	@bash bench/scale
	@bash bench/cad
	$(BUILD_DIR)/bench_fingerprint 100000

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD_DIR)
